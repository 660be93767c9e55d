package io.trellis.security;

/** Decides whether a principal may take an action on an object. */
@FunctionalInterface
public interface Authorizer {
  Decision decide(Principal principal, Action action, String object);

  /** Everything allowed: a server that runs without security (tests, an explicit open mode). */
  static Authorizer allowAll() {
    return (principal, action, object) -> Decision.allow("security disabled");
  }
}
