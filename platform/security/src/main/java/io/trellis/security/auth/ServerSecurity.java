package io.trellis.security.auth;

import io.trellis.security.Action;
import io.trellis.security.Authorizer;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import io.trellis.security.RequestSecurity;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.ServerConfiguration;

/**
 * How one Trellis HTTP server checks its callers: who may authenticate and how (bearer tokens,
 * basic credentials, anything else an {@link Authenticator} proves), what the access rules allow,
 * whether calls without credentials may read, whether metrics are open. {@link #install} puts the
 * guard in front of every handler of the server at the HTTP level, so an endpoint added later is
 * guarded too. {@link #off()} (what programmatic configurations default to) authenticates no one
 * and allows everything, but still writes the audit log.
 */
public final class ServerSecurity {
  /** Paths anyone may GET without credentials: liveness probes, which say nothing else. */
  public static final Set<String> PROBES = Set.of("/health", "/ping", "/v2/ping");
  /** Where the master serves its web UI. */
  static final String UI = "/ui";
  private static final ServerSecurity OFF = new ServerSecurity(false, List.of(), Authorizer.allowAll(), false, false,
      new AuditLog(InstantSource.system()));

  private final boolean enabled;
  private final List<Authenticator> authenticators;
  private final Authorizer rules;
  private final Authorizer authorizer;
  private final boolean anonymousRead;
  private final boolean openMetrics;
  private final AuditLog audit;

  private ServerSecurity(boolean enabled, List<Authenticator> authenticators, Authorizer rules, boolean anonymousRead,
      boolean openMetrics, AuditLog audit) {
    this.enabled = enabled;
    this.authenticators = List.copyOf(authenticators);
    this.anonymousRead = anonymousRead;
    this.openMetrics = openMetrics;
    this.audit = audit;
    this.rules = rules;
    // Anonymous callers may read when the server says so, and do nothing else unless a rule names them.
    this.authorizer = !anonymousRead ? rules : (p, action, object) -> p.isAnonymous() && action == Action.READ
        ? Decision.allow("anonymous read is on") : rules.decide(p, action, object);
  }

  /** No authentication, everything allowed; mutating calls still audited. */
  public static ServerSecurity off() {
    return OFF;
  }

  /** Closed: callers must prove who they are with one of {@code authenticators}; {@code rules} decide. */
  public static ServerSecurity on(List<Authenticator> authenticators, Authorizer rules) {
    if (authenticators.isEmpty()) {
      throw new IllegalArgumentException("a closed server needs at least one way to authenticate");
    }
    return new ServerSecurity(true, authenticators, rules, false, false, new AuditLog(InstantSource.system()));
  }

  /** The same, letting calls without credentials read (GET) as {@link Principal#ANONYMOUS}. */
  public ServerSecurity withAnonymousRead(boolean on) {
    return new ServerSecurity(enabled, authenticators, rawRules(), on, openMetrics, audit);
  }

  /** The same, serving {@code /metrics} to anyone. */
  public ServerSecurity withOpenMetrics(boolean on) {
    return new ServerSecurity(enabled, authenticators, rawRules(), anonymousRead, on, audit);
  }

  /** The same, also accepting what {@code another} proves (tried after the others). */
  public ServerSecurity withAuthenticator(Authenticator another) {
    List<Authenticator> all = new ArrayList<>(authenticators);
    all.add(another);
    return new ServerSecurity(true, all, rawRules(), anonymousRead, openMetrics, audit);
  }

  /** The same, with the audit log's times from {@code clock}. */
  public ServerSecurity withClock(InstantSource clock) {
    return new ServerSecurity(enabled, authenticators, rawRules(), anonymousRead, openMetrics, new AuditLog(clock));
  }

  private Authorizer rawRules() {
    return rules;
  }

  public boolean enabled() {
    return enabled;
  }

  public boolean anonymousRead() {
    return anonymousRead;
  }

  public boolean openMetrics() {
    return openMetrics;
  }

  /** The access rules, with anonymous read applied. */
  public Authorizer authorizer() {
    return authorizer;
  }

  AuditLog audit() {
    return audit;
  }

  /**
   * Puts the guard in front of every handler {@code server} has: after they are registered,
   * before it starts. {@code name} names the server in the audit log ("master", "agent", ...).
   */
  public void install(HttpServer server, String name) {
    ServerConfiguration config = server.getServerConfiguration();
    for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> h : Map.copyOf(config.getHttpHandlersWithMapping()).entrySet()) {
      config.removeHttpHandler(h.getKey());
      config.addHttpHandler(new AuthGuard(h.getKey(), this, name), h.getValue());
    }
  }

  /** The caller of a request, or {@code null} when it carries no credentials. */
  Principal authenticate(Request request) {
    for (Authenticator a : authenticators) {
      Principal p = a.authenticate(request);
      if (p != null) {
        return p;
      }
    }
    String header = request.getHeader("Authorization");
    if (header != null) {
      String scheme = header.strip().split("\\s+", 2)[0];
      throw new Unauthenticated("the Authorization scheme '" + AuditLog.clean(scheme.length() > 20
          ? scheme.substring(0, 20) : scheme) + "' is not accepted here: use " + String.join(" or ", schemes()));
    }
    return null;
  }

  private List<String> schemes() {
    List<String> schemes = new ArrayList<>();
    for (String c : challenges()) {
      schemes.add(c.split(" ", 2)[0]);
    }
    return schemes;
  }

  boolean acceptsBasic() {
    return authenticators.stream().anyMatch(a -> a instanceof BasicCredentials);
  }

  List<String> challenges() {
    List<String> challenges = new ArrayList<>();
    for (Authenticator a : authenticators) {
      if (a.challenge() != null) {
        challenges.add(a.challenge());
      }
    }
    return challenges;
  }

  /** Whether a call without credentials may go on as the anonymous principal. */
  boolean isOpen(Method method, String path) {
    if (!AuthGuard.isRead(method)) {
      return false;
    }
    return anonymousRead || isOpenWithoutCheck(path);
  }

  /**
   * Paths served to anyone without an access check: probes, the web UI's own files (its page and
   * scripts, which hold no cluster data: the page asks for a token before it reads anything),
   * the root's redirect to it, and metrics when open.
   */
  boolean isOpenWithoutCheck(String path) {
    return PROBES.contains(path) || path.equals("/") || path.equals(UI) || path.startsWith(UI + "/")
        || (openMetrics && path.equals("/metrics"));
  }

  /** An {@code ErrorBody} as JSON, as every Trellis server answers errors. */
  public static String errorJson(int status, String message) {
    return AuthGuard.json(status, message);
  }

  /** What a 403 says: who may not do what, and the rule that decided. */
  public static String refusal(Principal p, Action action, String object, Decision decision) {
    return "principal '" + p.name() + "' may not " + action.key() + " " + action.objectKind() + " '"
        + AuditLog.clean(object) + "': " + decision.rule();
  }

  /**
   * For handlers outside JAX-RS: whether the caller of {@code request} may take {@code action} on
   * {@code object} (allowed when the server runs without security).
   */
  public static Decision decide(Request request, Action action, String object) {
    Object a = request.getAttribute(RequestSecurity.AUTHORIZER);
    Object p = request.getAttribute(RequestSecurity.PRINCIPAL);
    if (!(a instanceof Authorizer authorizer) || !(p instanceof Principal principal)) {
      return Decision.allow("security disabled");
    }
    return authorizer.decide(principal, action, object);
  }
}
