package io.trellis.core.role;

/**
 * Role names. Roles are hierarchical, separated by {@code /} ({@code analytics/spark} is a child
 * of {@code analytics}); {@code *} is the default role that holds unreserved resources.
 */
public final class Role {
  /** The default role; resources "reserved" to it are unreserved. */
  public static final String ANY = "*";

  /** The longest role name accepted: names become znode and directory names. */
  public static final int MAX_LENGTH = 255;

  private Role() {}

  /**
   * Checks a role name with the rules Mesos applies.
   *
   * @throws IllegalArgumentException naming the role and the rule it breaks
   */
  public static String validate(String role) {
    if (role == null || role.isEmpty()) {
      throw new IllegalArgumentException("role name is empty");
    }
    if (ANY.equals(role)) {
      return role;
    }
    if (role.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("invalid role '" + role.substring(0, 40) + "...': " + role.length()
          + " characters, at most " + MAX_LENGTH + " are allowed");
    }
    if (role.startsWith("/") || role.endsWith("/")) {
      throw new IllegalArgumentException("invalid role '" + role + "': it must not start or end with '/'");
    }
    for (String part : role.split("/", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("invalid role '" + role + "': empty path component");
      }
      if (part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("invalid role '" + role + "': '" + part + "' is not a valid component");
      }
      if (part.startsWith("-")) {
        throw new IllegalArgumentException("invalid role '" + role + "': a component must not start with '-'");
      }
      if (part.equals(ANY)) {
        throw new IllegalArgumentException("invalid role '" + role + "': '*' is only valid alone");
      }
    }
    for (int i = 0; i < role.length(); i++) {
      char c = role.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\\' || c == '(' || c == ')'
          || c == ';' || c == ':' || c == '\uFFFD') {
        throw new IllegalArgumentException("invalid role '" + role + "': character '" + c + "' is not allowed");
      }
    }
    return role;
  }

  /** The parent role, or {@code null} for a top-level role. */
  public static String parent(String role) {
    int slash = role.lastIndexOf('/');
    return slash < 0 ? null : role.substring(0, slash);
  }

  /** Whether {@code ancestor} is {@code role} itself or one of its ancestors. */
  public static boolean isSelfOrAncestor(String ancestor, String role) {
    return role.equals(ancestor) || (role.startsWith(ancestor) && role.charAt(ancestor.length()) == '/');
  }
}
