package io.trellis.simulate;

import java.util.Comparator;
import java.util.List;

/** Task groups in submit order, and the rows of the source that could not be read. */
public record Trace(List<TaskGroup> groups, Skipped skipped) {
  public Trace {
    groups = groups.stream().sorted(Comparator.comparingLong(TaskGroup::submitMillis)).toList();
  }

  public long tasks() {
    return groups.stream().mapToLong(TaskGroup::count).sum();
  }
}
