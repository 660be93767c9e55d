package io.trellis.security.auth;

import io.trellis.security.Principal;
import org.glassfish.grizzly.http.server.Request;

/**
 * Proves who sent a request from the credentials it carries: a bearer token, basic credentials,
 * a signature. Servers try their authenticators in order.
 */
public interface Authenticator {
  /**
   * The principal the request's credentials prove, or {@code null} when the request carries no
   * credentials of this kind.
   *
   * @throws Unauthenticated when it carries credentials of this kind that prove nothing (a wrong
   *     token or password), with the reason to give the caller
   */
  Principal authenticate(Request request);

  /** The {@code WWW-Authenticate} challenge of this kind of credentials, or {@code null}. */
  default String challenge() {
    return null;
  }
}
