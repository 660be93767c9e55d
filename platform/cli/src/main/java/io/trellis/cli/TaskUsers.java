package io.trellis.cli;

/** The task user the commands pick when none is given. */
final class TaskUsers {
  /** The unprivileged user tasks of a root agent run as by default (Debian's and most systems'). */
  static final String DEFAULT = "nobody";

  private TaskUsers() {}

  /**
   * The first directory on the way to {@code dir} (or {@code dir} itself) that users other than
   * its owner may not enter, or {@code null} when every one is open to them.
   */
  static java.nio.file.Path closedOnTheWay(java.nio.file.Path dir) {
    for (java.nio.file.Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      try {
        if (java.nio.file.Files.exists(p) && !java.nio.file.Files.getPosixFilePermissions(p)
            .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
          return p;
        }
      } catch (java.io.IOException | UnsupportedOperationException e) {
        return p;
      }
    }
    return null;
  }

  /** {@code given} when set; else {@value #DEFAULT} for an agent running as root; else none. */
  static String choose(String given) {
    if (given != null && !given.isBlank()) {
      return given.trim();
    }
    return "root".equals(System.getProperty("user.name")) ? DEFAULT : null;
  }
}
