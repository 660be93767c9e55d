package io.trellis.agent;

import java.nio.file.Path;
import java.util.Locale;

/** Says in a few words why the agent could not write in its work directory. */
final class DiskTrouble {
  private DiskTrouble() {}

  /**
   * The reason a write under {@code dir} failed, for a task's status: {@code no space left on
   * device in <dir>} when the file system is full, else the first message in the causes.
   */
  static String describe(Throwable failure, Path dir) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      String m = c.getMessage();
      if (m != null && m.toLowerCase(Locale.ROOT).contains("no space left on device")) {
        return "no space left on device in " + dir + "; free space there (the task's sandbox and checkpoints"
            + " live in it)";
      }
      if (c instanceof java.nio.file.FileSystemException fs && fs.getReason() != null
          && fs.getReason().toLowerCase(Locale.ROOT).contains("disk quota exceeded")) {
        return "disk quota exceeded in " + dir;
      }
    }
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }
}
