package io.trellis.storm.framework;

import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.StormView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why topologies wait, in words a user can act on: a worker larger than every agent (it will
 * never run), unreadable worker settings, or offers not yet given (with the allocator's reasons).
 * A reason that starts with {@link #CANNOT_RUN} will not go away by waiting.
 */
final class WaitingReasons {
  static final String CANNOT_RUN = "cannot run: ";

  private WaitingReasons() {}

  /**
   * @param agentTotals the total resources of every reachable agent; empty when not known yet
   * @param allocatorReasons what the allocator said about this framework's role
   */
  static Map<String, String> of(List<StormView.Topology> topologies, List<OfferPlanner.Need> needs,
      OfferPlanner planner, List<Resources> agentTotals, List<String> allocatorReasons) {
    Map<String, String> out = new HashMap<>();
    for (StormView.Topology t : topologies) {
      if (t.problem() != null) {
        out.put(t.id(), CANNOT_RUN + t.problem());
      }
    }
    for (OfferPlanner.Need n : needs) {
      Resources one = planner.oneSlot(n.size());
      if (!agentTotals.isEmpty() && agentTotals.stream().noneMatch(a -> planner.couldFit(a, n.size()))) {
        out.put(n.topologyId(), CANNOT_RUN + "no agent can hold one worker of " + n.topologyName()
            + ": a supervisor with one worker needs " + one + " and 2 ports (" + WORKER_MEM_KEY + "="
            + n.size().memMb() + "); the largest agent has " + largest(agentTotals));
      } else {
        out.put(n.topologyId(), "waiting for Trellis offers: " + n.slots() + " more worker slots of "
            + n.topologyName() + " (a supervisor with one worker needs " + one + ")"
            + (allocatorReasons.isEmpty() ? "" : "; allocator: " + String.join("; ", allocatorReasons)));
      }
    }
    return out;
  }

  private static final String WORKER_MEM_KEY = io.trellis.storm.schedule.WorkerSize.MEM_MB;

  private static String largest(List<Resources> totals) {
    return totals.stream().max((a, b) -> Double.compare(a.scalar(Resources.MEM), b.scalar(Resources.MEM)))
        .map(r -> r.scalars().toString()).orElse("nothing");
  }
}
