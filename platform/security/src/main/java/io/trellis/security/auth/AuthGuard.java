package io.trellis.security.auth;

import io.trellis.security.Action;
import io.trellis.security.Authorizer;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import io.trellis.security.RequestSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Stands in front of one of a server's handlers: finds who is calling (or refuses with 401),
 * checks that a read may read, puts the caller and the server's authorizer on the request for the
 * endpoints' own checks, and writes the audit line of every mutating call once it is answered.
 */
final class AuthGuard extends HttpHandler {
  private final HttpHandler guarded;
  private final ServerSecurity security;
  private final String server;

  AuthGuard(HttpHandler guarded, ServerSecurity security, String server) {
    super(guarded.getName());
    this.guarded = guarded;
    this.security = security;
    this.server = server;
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    boolean mutating = !isRead(request.getMethod());
    String path = request.getRequestURI();
    List<AuditLog.Asked> asked = mutating ? new CopyOnWriteArrayList<>() : null;
    if (!security.enabled()) {
      serveAudited(request, response, path, mutating ? "-" : null, asked);
      return;
    }
    Principal principal;
    try {
      principal = security.authenticate(request);
    } catch (Unauthenticated e) {
      refuse(response, 401, e.getMessage());
      if (mutating) {
        audit(request, path, "unauthenticated", 401, List.of());
      }
      return;
    }
    if (principal == null) {
      if (security.isOpen(request.getMethod(), readObject(request))) {
        principal = Principal.ANONYMOUS;
      } else {
        refuse(response, 401, "authentication required: send 'Authorization: Bearer <token>'"
            + (security.acceptsBasic() ? " or basic credentials" : "") + "; `trellis local` writes the admin"
            + " token to <data dir>/security/admin.token");
        if (mutating) {
          audit(request, path, "unauthenticated", 401, List.of());
        }
        return;
      }
    }
    Principal caller = principal;
    Authorizer authorizer = (p, action, object) -> {
      Decision d = security.authorizer().decide(p, action, object);
      if (asked != null) {
        asked.add(new AuditLog.Asked(action, object, d));
      }
      return d;
    };
    String what = mutating ? null : readObject(request);
    if (!mutating && !security.isOpenWithoutCheck(what)) {
      Decision read = authorizer.decide(caller, Action.READ, what);
      if (!read.allowed()) {
        refuse(response, 403, ServerSecurity.refusal(caller, Action.READ, what, read));
        return;
      }
    }
    request.setAttribute(RequestSecurity.PRINCIPAL, caller);
    request.setAttribute(RequestSecurity.AUTHORIZER, authorizer);
    serveAudited(request, response, path, mutating ? caller.name() : null, asked);
  }

  /**
   * Serves the request; a change ({@code who} not null) is audited once its status is known: at
   * once when the handler returns with the response committed (a stream such as SUBSCRIBE has
   * sent its status and goes on), else when the server finishes the request.
   */
  private void serveAudited(Request request, Response response, String path, String who, List<AuditLog.Asked> asked)
      throws Exception {
    if (who == null) {
      guarded.service(request, response);
      return;
    }
    java.util.concurrent.atomic.AtomicBoolean logged = new java.util.concurrent.atomic.AtomicBoolean();
    request.addAfterServiceListener(r -> {
      if (logged.compareAndSet(false, true)) {
        audit(r, path, who, r.getResponse().getStatus(), asked);
      }
    });
    guarded.service(request, response);
    if (response.isSuspended() && response.isCommitted() && logged.compareAndSet(false, true)) {
      audit(request, path, who, response.getStatus(), asked);
    }
  }

  private void audit(Request request, String path, String who, int status, List<AuditLog.Asked> asked) {
    security.audit().record(server, who, request.getMethod().getMethodString(), path, status, asked, routine(request),
        request.getAttribute(RequestSecurity.DETAIL));
  }

  private static boolean routine(Request request) {
    return Boolean.TRUE.equals(request.getAttribute(RequestSecurity.ROUTINE));
  }

  /**
   * What a read reads, as rules name it: the decoded path with repeated slashes and dot segments
   * folded, so that {@code /%6Detrics} or {@code //metrics} is checked as {@code /metrics}.
   */
  static String readObject(Request request) {
    String path;
    try {
      path = request.getDecodedRequestURI();
    } catch (java.io.CharConversionException | RuntimeException e) {
      path = request.getRequestURI();
    }
    java.util.Deque<String> segments = new java.util.ArrayDeque<>();
    for (String s : path.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(s);
      }
    }
    return "/" + String.join("/", segments);
  }

  static boolean isRead(Method method) {
    return method == Method.GET || method == Method.HEAD || method == Method.OPTIONS;
  }

  private void refuse(Response response, int status, String message) throws IOException {
    byte[] body = json(status, message).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    if (status == 401) {
      for (String challenge : security.challenges()) {
        response.addHeader("WWW-Authenticate", challenge);
      }
    }
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  static String json(int status, String message) {
    return io.trellis.http.ServerGuards.json(status, message);
  }

  @Override
  public void start() {
    guarded.start();
  }

  @Override
  public void destroy() {
    guarded.destroy();
  }
}
