package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trellis' own trace format: CSV whose first row names the columns (any order). Required:
 * {@code submit_s, role, framework, count, duration_s} and at least one of {@code cpus, mem,
 * gpus, disk}; optional {@code gang} (0: none) and {@code priority} (0). Times are seconds
 * from the start of the trace, memory and disk MiB. See docs/simulate.md.
 */
public final class TrellisTrace {
  static final List<String> REQUIRED = List.of("submit_s", "role", "framework", "count", "duration_s");
  static final List<String> RESOURCES = List.of("cpus", "mem", "gpus", "disk");
  static final String HEADER = "submit_s,role,framework,cpus,mem,gpus,disk,count,duration_s,gang,priority";

  private TrellisTrace() {}

  public static Trace read(Path file) {
    List<TaskGroup> groups = new ArrayList<>();
    Map<String, Integer> columns = new HashMap<>();
    Skipped skipped = CsvRows.read(file, (number, fields) -> {
      if (columns.isEmpty()) {
        header(fields, columns);
        return;
      }
      groups.add(row(fields, columns));
    });
    if (columns.isEmpty()) {
      throw new IllegalArgumentException(file + " has no header row" + (skipped.count() > 0
          ? " (" + skipped.firstReasons().get(0) + ")" : "") + "; the first row must name the columns: " + HEADER);
    }
    return new Trace(groups, skipped);
  }

  private static void header(String[] fields, Map<String, Integer> columns) {
    Map<String, Integer> found = new HashMap<>();
    for (int i = 0; i < fields.length; i++) {
      found.put(fields[i].toLowerCase(Locale.ROOT), i);
    }
    for (String name : REQUIRED) {
      if (!found.containsKey(name)) {
        throw new IllegalArgumentException("the header row lacks the column " + name + "; expected " + HEADER);
      }
    }
    if (RESOURCES.stream().noneMatch(found::containsKey)) {
      throw new IllegalArgumentException("the header row names none of cpus, mem, gpus, disk");
    }
    columns.putAll(found);
  }

  private static TaskGroup row(String[] fields, Map<String, Integer> columns) {
    Resources shape = Resources.empty();
    for (String name : RESOURCES) {
      String text = field(fields, columns, name, "0");
      double amount = CsvRows.number(name, text);
      if (amount < 0) {
        throw new IllegalArgumentException(name + " must not be negative, got " + text);
      }
      if (amount > 0) {
        shape = shape.plus(Resources.scalar(name, Math.min(amount, TaskGroup.MAX_AMOUNT * 2)));
      }
    }
    return new TaskGroup(seconds("submit_s", field(fields, columns, "submit_s", null)),
        field(fields, columns, "role", null), field(fields, columns, "framework", null), shape,
        (int) bounded("count", field(fields, columns, "count", null)),
        seconds("duration_s", field(fields, columns, "duration_s", null)),
        (int) bounded("gang", field(fields, columns, "gang", "0")),
        (int) bounded("priority", field(fields, columns, "priority", "0")));
  }

  private static String field(String[] fields, Map<String, Integer> columns, String name, String fallback) {
    Integer i = columns.get(name);
    if (i == null || i >= fields.length || fields[i].isEmpty()) {
      if (fallback == null) {
        throw new IllegalArgumentException(name + " is missing");
      }
      return fallback;
    }
    return fields[i];
  }

  /** Seconds (fractions allowed) as milliseconds; out-of-range values are left to TaskGroup to refuse. */
  static long seconds(String name, String text) {
    double s = CsvRows.number(name, text);
    if (Math.abs(s) > TaskGroup.MAX_MILLIS) {
      throw new IllegalArgumentException(name + " must be from 0 to " + TaskGroup.MAX_MILLIS / 1000 + " s, got " + text);
    }
    return Math.round(s * 1000);
  }

  private static long bounded(String name, String text) {
    long v = CsvRows.integer(name, text);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is out of range: " + text);
    }
    return v;
  }

  /** Writes groups in this format, so a converted or generated trace can be edited and replayed. */
  public static void write(Trace trace, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(HEADER + "\n");
      for (TaskGroup g : trace.groups()) {
        out.write(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%d,%s,%d,%d%n", secs(g.submitMillis()), g.role(),
            g.framework(), amount(g.shape(), "cpus"), amount(g.shape(), "mem"), amount(g.shape(), "gpus"),
            amount(g.shape(), "disk"), g.count(), secs(g.durationMillis()), g.gang(), g.priority()));
      }
    }
  }

  private static String secs(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }

  private static String amount(Resources r, String name) {
    double v = r.scalar(name);
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
