package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the task_events table of the Google 2011 cluster trace (ClusterData2011_2) to task
 * groups. Its columns: time (µs), missing info, job id, task index, machine id, event type,
 * user, scheduling class, priority, cpu request, memory request, disk request, different-machine
 * restriction. A task is submitted at its first SUBMIT event and runs from its first SCHEDULE to
 * the next EVICT, FAIL, FINISH, KILL or LOST; tasks without both are skipped. Requests are
 * normalised to the largest machine, so they are scaled to {@code machine}. The role follows
 * the priority band: 0–1 {@code free}, 2–8 {@code batch}, 9 and up {@code production}; the
 * framework is the user.
 */
public final class GoogleTrace {
  static final int COLUMNS = 13;
  private static final int SUBMIT = 0;
  private static final int SCHEDULE = 1;
  private static final long END_OF_TRACE = Long.MAX_VALUE;

  private GoogleTrace() {}

  private static final class Task {
    long row;
    long submit = -1;
    long start = -1;
    long end = -1;
    String user;
    int priority;
    double cpu;
    double mem;
    double disk;
  }

  public static Trace read(Path file, Resources machine) {
    Map<String, Task> tasks = new LinkedHashMap<>();
    Skipped skipped = CsvRows.read(file, (number, f) -> {
      if (f.length < COLUMNS) {
        throw new IllegalArgumentException(f.length + " columns, task_events has " + COLUMNS);
      }
      long time = CsvRows.integer("time", f[0]);
      if (time < 0) {
        throw new IllegalArgumentException("time must not be negative, got " + f[0]);
      }
      int type = (int) CsvRows.integer("event type", f[5]);
      if (type < 0 || type > 8) {
        throw new IllegalArgumentException("event type must be from 0 to 8, got " + f[5]);
      }
      String key = CsvRows.integer("job id", f[2]) + "/" + CsvRows.integer("task index", f[3]);
      Task t = tasks.computeIfAbsent(key, k -> new Task());
      t.row = number;
      if (type == SUBMIT || type >= 7) {
        if (type == SUBMIT && t.submit < 0) {
          t.submit = time;
        }
        t.user = f[6].isEmpty() ? t.user : f[6];
        t.priority = f[8].isEmpty() ? t.priority : (int) CsvRows.integer("priority", f[8]);
        t.cpu = request("cpu request", f[9], t.cpu);
        t.mem = request("memory request", f[10], t.mem);
        t.disk = request("disk request", f[11], t.disk);
      } else if (type == SCHEDULE) {
        t.start = t.start < 0 ? time : t.start;
      } else if (t.start >= 0 && t.end < 0 && time != END_OF_TRACE) {
        t.end = time;
      }
    });
    long origin = tasks.values().stream().filter(t -> t.submit >= 0).mapToLong(t -> t.submit).min().orElse(0);
    List<TaskGroup> groups = new ArrayList<>();
    tasks.forEach((key, t) -> {
      if (t.submit < 0 || t.start < 0 || t.end < 0) {
        skipped.add(t.row, "task " + key + " has no " + (t.submit < 0 ? "SUBMIT" : t.start < 0 ? "SCHEDULE" : "end")
            + " event in the file");
        return;
      }
      try {
        Resources shape = scaled(machine, "cpus", t.cpu).plus(scaled(machine, "mem", t.mem))
            .plus(scaled(machine, "disk", t.disk));
        groups.add(new TaskGroup((t.submit - origin) / 1000, role(t.priority), t.user == null ? "unknown" : t.user,
            shape, 1, Math.max(0, t.end - t.start) / 1000, 0, t.priority));
      } catch (IllegalArgumentException e) {
        skipped.add(t.row, "task " + key + ": " + e.getMessage());
      }
    });
    return new Trace(groups, skipped);
  }

  static String role(int priority) {
    return priority <= 1 ? "free" : priority <= 8 ? "batch" : "production";
  }

  private static double request(String name, String text, double previous) {
    if (text.isEmpty()) {
      return previous;
    }
    double v = CsvRows.number(name, text);
    if (v < 0 || v > 1) {
      throw new IllegalArgumentException(name + " is normalised to the largest machine and must be from 0 to 1, got "
          + CsvRows.clip(text));
    }
    return v;
  }

  /** A share of the largest machine as an amount of {@code machine}'s resource; none if it has none. */
  static Resources scaled(Resources machine, String name, double share) {
    double total = machine.scalar(name);
    double amount = Math.round(share * total * 1000) / 1000.0;
    return amount > 0 ? Resources.scalar(name, amount) : Resources.empty();
  }
}
