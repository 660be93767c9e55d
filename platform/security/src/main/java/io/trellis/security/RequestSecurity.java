package io.trellis.security;

import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * How code serving a request learns who is calling and asks whether they may do something. A
 * server's authentication guard puts the caller's {@link Principal} and the server's {@link
 * Authorizer} on each request (Grizzly request attributes, which Jersey shows as request
 * properties); a server running without security puts nothing, and everything is allowed.
 */
public final class RequestSecurity {
  /** The request attribute/property holding the caller's {@link Principal}. */
  public static final String PRINCIPAL = "io.trellis.security.principal";
  /** The request attribute/property holding the server's {@link Authorizer}. */
  public static final String AUTHORIZER = "io.trellis.security.authorizer";

  /** The request attribute/property marking a change as routine traffic (audited at DEBUG). */
  public static final String ROUTINE = "io.trellis.security.routine";

  /** The request attribute/property naming what a call does when its path does not (a scheduler call's type). */
  public static final String DETAIL = "io.trellis.security.detail";

  private RequestSecurity() {}

  /** Names what the call does for its audit line, when the method and path do not say (ACCEPT, TEARDOWN). */
  public static void describe(ContainerRequestContext request, String detail) {
    request.setProperty(DETAIL, detail);
  }

  /**
   * Marks the request as routine traffic a framework sends many times a minute (declines,
   * acknowledgements, revives): its audit line goes at DEBUG instead of INFO.
   */
  public static void routine(ContainerRequestContext request) {
    request.setProperty(ROUTINE, Boolean.TRUE);
  }

  /** The caller, or {@code null} on a server without security. */
  public static Principal principal(ContainerRequestContext request) {
    Object p = request.getProperty(PRINCIPAL);
    return p instanceof Principal principal ? principal : null;
  }

  /** Whether the caller may take {@code action} on {@code object}. */
  public static Decision decide(ContainerRequestContext request, Action action, String object) {
    Object a = request.getProperty(AUTHORIZER);
    Principal p = principal(request);
    if (!(a instanceof Authorizer authorizer) || p == null) {
      return Decision.allow("security disabled");
    }
    return authorizer.decide(p, action, object);
  }

  /**
   * Goes on when the caller may take {@code action} on {@code object}; otherwise a 403 naming the
   * principal, the action, the object and the rule that refused.
   */
  public static void require(ContainerRequestContext request, Action action, String object) {
    Decision d = decide(request, action, object);
    if (!d.allowed()) {
      String message = io.trellis.security.auth.ServerSecurity.refusal(principal(request), action, object, d);
      throw new jakarta.ws.rs.ForbiddenException(message, jakarta.ws.rs.core.Response.status(403)
          .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
          .entity(io.trellis.security.auth.ServerSecurity.errorJson(403, message)).build());
    }
  }

  /** Whether the request changes something (not GET, HEAD or OPTIONS) on a server with security. */
  public static boolean securedChange(ContainerRequestContext request) {
    String method = request.getMethod();
    return principal(request) != null && !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
  }
}
