package io.trellis.master;

import io.trellis.api.TaskState;
import io.trellis.core.resource.Resources;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The cluster over the last hour, one sample every {@value #EVERY_SECONDS} s, for the web UI's
 * charts: cpus and memory allocated of the total, live tasks by state, offers outstanding. Owned
 * by the event loop; a new leader starts it again.
 */
final class ClusterHistory {
  static final int EVERY_SECONDS = 10;
  static final int KEPT = 3600 / EVERY_SECONDS;

  private final ArrayDeque<ClusterPages.Sample> samples = new ArrayDeque<>();

  /** Takes one sample of {@code m}: one pass over agents and tasks. */
  void sample(Master m) {
    Resources total = Resources.empty();
    for (AgentState a : m.agents.values()) {
      if (a.reachable) {
        total = total.plus(a.total);
      }
    }
    double cpus = 0;
    double mem = 0;
    int staging = 0;
    int running = 0;
    int killing = 0;
    for (TaskRecord t : m.tasks.values()) {
      if (t.state.isTerminal()) {
        continue;
      }
      cpus += t.resources.scalar("cpus");
      mem += t.resources.scalar("mem");
      switch (t.state) {
        case STAGING, STARTING -> staging++;
        case RUNNING -> running++;
        case KILLING -> killing++;
        default -> { }
      }
    }
    samples.addLast(new ClusterPages.Sample(m.clock.millis() / 1000.0, total.scalar("cpus"), cpus, total.scalar("mem"), mem,
        staging, running, killing, m.allocator.outstandingOffers().size()));
    if (samples.size() > KEPT) {
      samples.removeFirst();
    }
  }

  List<ClusterPages.Sample> samples() {
    return List.copyOf(samples);
  }
}
