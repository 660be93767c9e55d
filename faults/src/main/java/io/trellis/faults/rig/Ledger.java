package io.trellis.faults.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What actually ran: every task the rig launches appends, from inside the task, one line
 * {@code <task id> <slot or app> <pid> <start ms>} to the ledger file before it does its work. Tasks
 * run as {@code nobody}, so the file is writable by everyone; one short append is atomic.
 */
public final class Ledger {
  private final Path file;

  Ledger(Path dir) throws IOException {
    Files.createDirectories(dir);
    Shell.run("chmod", "1777", dir.toString());
    this.file = dir.resolve("ledger");
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
  }

  /** One launch, as the task wrote it. */
  public record Entry(String taskId, String slot, long pid, long startMs) {}

  public Path file() {
    return file;
  }

  /**
   * A shell command that writes the task's ledger line and then runs {@code then} in its place
   * ({@code exec}), so the pid in the ledger is the task's own. The slot is the job's slot for a
   * jobs run, the app id for a services instance.
   */
  public String command(String then) {
    return "echo \"$TRELLIS_TASK_ID ${TRELLIS_JOB_SLOT:-${TRELLIS_APP_ID:--}} $$ $(date +%s%3N)\" >> " + file
        + " && exec " + then;
  }

  /** Every line so far, in the order written. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.strip().split(" ");
        if (f.length == 4 && f[2].matches("\\d+") && f[3].matches("\\d+")) {
          out.add(new Entry(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("ledger " + file + " cannot be read: " + e.getMessage(), e);
    }
    return out;
  }

  /** Task ids written more than once: a task launched twice. */
  public Map<String, Integer> launchedTwice() {
    Map<String, Integer> counts = new HashMap<>();
    entries().forEach(e -> counts.merge(e.taskId(), 1, Integer::sum));
    counts.values().removeIf(c -> c < 2);
    return counts;
  }

  /** Empties the ledger (between scenarios). */
  public void clear() {
    try {
      Files.writeString(file, "");
    } catch (IOException e) {
      throw new IllegalStateException("ledger " + file + " cannot be cleared: " + e.getMessage(), e);
    }
  }
}
