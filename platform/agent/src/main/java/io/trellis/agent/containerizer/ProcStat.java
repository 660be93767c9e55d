package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few fields of {@code /proc/<pid>/stat} the containerizer needs: the state, the process
 * group and the start time (field 22, clock ticks since boot), which tells a live process apart
 * from a later one that reuses its pid.
 */
record ProcStat(long pid, char state, long processGroup, long startTime) {
  private static final Path PROC = Path.of("/proc");

  /** The process as it is now, or empty if there is no such process. */
  static Optional<ProcStat> read(long pid) {
    String text;
    try {
      text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return parse(pid, text);
  }

  /** Parses one stat line; the command name in parentheses may itself hold spaces or ')'. */
  static Optional<ProcStat> parse(long pid, String text) {
    int close = text.lastIndexOf(')');
    if (close < 0) {
      return Optional.empty();
    }
    String[] fields = text.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 of stat (state), so field n is fields[n - 3].
    if (fields.length < 20 || fields[0].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ProcStat(pid, fields[0].charAt(0), Long.parseLong(fields[2]),
          Long.parseLong(fields[19])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether the process still runs (a zombie has ended; only its parent has not reaped it). */
  boolean running() {
    return state != 'Z' && state != 'X' && state != 'x';
  }

  /** Whether {@code pid} runs and is the same process that started at {@code startTime}. */
  static boolean isRunning(long pid, long startTime) {
    return read(pid).filter(s -> s.startTime() == startTime && s.running()).isPresent();
  }

  /** Whether any running process is still a member of process group {@code pgid}. */
  static boolean groupHasMembers(long pgid) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        Optional<ProcStat> stat = read(Long.parseLong(dir.getFileName().toString()));
        if (stat.isPresent() && stat.get().processGroup() == pgid && stat.get().running()) {
          return true;
        }
      }
      return false;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
