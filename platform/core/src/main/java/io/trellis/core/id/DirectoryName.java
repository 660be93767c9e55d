package io.trellis.core.id;

/**
 * Framework and task ids name directories on agents (a task's sandbox lives under them): an id
 * must be one directory name, never a path that leads elsewhere.
 */
public final class DirectoryName {
  /** The longest file name most filesystems take. */
  public static final int MAX_LENGTH = 255;

  private DirectoryName() {}

  /** What keeps {@code id} from being one directory name, or null when it is one. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "is required";
    }
    if (id.length() > MAX_LENGTH || id.equals(".") || id.equals("..") || id.indexOf('/') >= 0
        || id.indexOf('\\') >= 0 || id.indexOf('\0') >= 0) {
      return "'" + (id.length() > 80 ? id.substring(0, 80) + "..." : id) + "' must be at most " + MAX_LENGTH
          + " characters without '/', '\\' or NUL, and not '.' or '..'";
    }
    return null;
  }
}
