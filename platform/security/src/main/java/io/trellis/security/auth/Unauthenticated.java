package io.trellis.security.auth;

/** Credentials that prove nothing: the reason a 401 gives (never the credentials themselves). */
public final class Unauthenticated extends RuntimeException {
  public Unauthenticated(String reason) {
    super(reason, null, false, false);
  }
}
