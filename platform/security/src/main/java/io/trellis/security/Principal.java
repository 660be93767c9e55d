package io.trellis.security;

/**
 * Who made a call, as its credentials proved: a named user, framework, agent or master, or
 * {@link #ANONYMOUS} when the server lets calls without credentials read.
 */
public record Principal(String name) {
  /** A caller without credentials, on a server configured to let such callers read. */
  public static final Principal ANONYMOUS = new Principal("anonymous");

  public Principal {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a principal needs a name");
    }
  }

  public boolean isAnonymous() {
    return this == ANONYMOUS || "anonymous".equals(name);
  }
}
