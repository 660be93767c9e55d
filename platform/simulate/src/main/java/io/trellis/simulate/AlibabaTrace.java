package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the batch_task table of the Alibaba 2018 cluster trace to task groups. Its columns:
 * task_name, instance_num, job_name, task_type, status, start_time (s), end_time (s), plan_cpu
 * (100 is one core), plan_mem (percent of a machine's memory, scaled to {@code machine}). Every
 * task becomes one group of {@code instance_num} tasks of the framework {@code job_name}, role
 * {@code type<task_type>}, submitted at its start time and running until its end time; tasks
 * not Terminated or Failed have no end and are skipped.
 */
public final class AlibabaTrace {
  static final int COLUMNS = 9;

  private AlibabaTrace() {}

  private record Row(long start, long end, TaskGroup group) {}

  public static Trace read(Path file, Resources machine) {
    List<Row> rows = new ArrayList<>();
    Skipped skipped = CsvRows.read(file, (number, f) -> {
      if (f.length < COLUMNS) {
        throw new IllegalArgumentException(f.length + " columns, batch_task has " + COLUMNS);
      }
      if (!f[4].equals("Terminated") && !f[4].equals("Failed")) {
        throw new IllegalArgumentException("status " + CsvRows.clip(f[4]) + " has no end time");
      }
      long count = CsvRows.integer("instance_num", f[1]);
      long start = CsvRows.integer("start_time", f[5]);
      long end = CsvRows.integer("end_time", f[6]);
      if (end > TaskGroup.MAX_MILLIS / 1000) {
        throw new IllegalArgumentException("end_time must be at most " + TaskGroup.MAX_MILLIS / 1000 + " s, got " + end);
      }
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("end_time " + end + " is before start_time " + start);
      }
      double cpu = CsvRows.number("plan_cpu", f[7]);
      double mem = CsvRows.number("plan_mem", f[8]);
      if (cpu < 0 || mem < 0 || mem > 100) {
        throw new IllegalArgumentException("plan_cpu must be >= 0 and plan_mem from 0 to 100, got " + f[7] + ", " + f[8]);
      }
      if (count < 1 || count > TaskGroup.MAX_COUNT) {
        throw new IllegalArgumentException("instance_num must be from 1 to " + TaskGroup.MAX_COUNT + ", got " + f[1]);
      }
      Resources shape = (cpu > 0 ? Resources.scalar("cpus", cpu / 100) : Resources.empty())
          .plus(GoogleTrace.scaled(machine, "mem", mem / 100));
      long type = CsvRows.integer("task_type", f[3]);
      // The submit time is made relative once every row is read.
      rows.add(new Row(start, end, new TaskGroup(0, "type" + type, f[2], shape, (int) count,
          (end - start) * 1000, 0, 0)));
    });
    long origin = rows.stream().mapToLong(Row::start).min().orElse(0);
    List<TaskGroup> groups = new ArrayList<>();
    for (Row r : rows) {
      TaskGroup g = r.group();
      groups.add(new TaskGroup((r.start() - origin) * 1000, g.role(), g.framework(), g.shape(), g.count(),
          g.durationMillis(), 0, 0));
    }
    return new Trace(groups, skipped);
  }
}
