package io.trellis.jobs.engine;

import io.trellis.jobs.job.Job;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The dependency graph of the jobs: for each parent, the jobs that run after it. Indexed by
 * parent, so a success looks only at that parent's children, whatever the number of jobs.
 */
final class Dependencies {
  /** Parent name to the names of the jobs that depend on it, in name order. */
  private final Map<String, Set<String>> children = new HashMap<>();

  /** Adds the job's edges, replacing those of an earlier definition of the same name. */
  void put(Job job, Job previous) {
    if (previous != null) {
      remove(previous);
    }
    for (String parent : job.parents()) {
      children.computeIfAbsent(parent, k -> new TreeSet<>()).add(job.name());
    }
  }

  /** Removes the job's edges to its parents. */
  void remove(Job job) {
    for (String parent : job.parents()) {
      Set<String> names = children.get(parent);
      if (names != null) {
        names.remove(job.name());
        if (names.isEmpty()) {
          children.remove(parent);
        }
      }
    }
  }

  void clear() {
    children.clear();
  }

  /** A job that depends on {@code parent}, if any. */
  Optional<String> anyChildOf(String parent) {
    Set<String> names = children.get(parent);
    return names == null || names.isEmpty() ? Optional.empty() : Optional.of(names.iterator().next());
  }

  /**
   * The enabled children of {@code parent} whose parents have all succeeded since the child was
   * last triggered, in name order.
   *
   * @param entries looks a job up by name (null if unknown)
   */
  List<JobEntry> ready(String parent, Function<String, JobEntry> entries) {
    Set<String> names = children.get(parent);
    if (names == null) {
      return List.of();
    }
    List<JobEntry> ready = new ArrayList<>();
    for (String name : names) {
      JobEntry child = entries.apply(name);
      if (child != null && !child.job.isDisabled() && parentsSucceededSince(child, entries)) {
        ready.add(child);
      }
    }
    return ready;
  }

  private static boolean parentsSucceededSince(JobEntry child, Function<String, JobEntry> entries) {
    for (String p : child.job.parents()) {
      JobEntry pe = entries.apply(p);
      if (pe == null || pe.status.lastSuccess() == null || pe.status.lastSuccess() <= child.status.lastTriggered()) {
        return false;
      }
    }
    return true;
  }
}
