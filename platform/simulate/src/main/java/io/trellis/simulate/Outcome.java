package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import java.util.List;
import java.util.Map;

/**
 * What a replay did.
 *
 * @param placements every task placed, in order
 * @param samples the cluster sampled at regular intervals of simulated time
 * @param neverPlaced tasks still waiting at the end, with the allocator's reason
 * @param preempted tasks preempted, by the role that ran them
 * @param endMillis simulated time at the end
 * @param cutShort true when the replay hit its maximum time with work left
 */
public record Outcome(List<Placement> placements, List<Sample> samples, List<NeverPlaced> neverPlaced,
    Map<String, Long> preempted, long endMillis, boolean cutShort) {

  /** Tasks of one group that were never placed. */
  public record NeverPlaced(String framework, String role, int tasks, Resources shape, String reason) {}

  /**
   * The cluster at one moment.
   *
   * @param used share of the cluster's total in use, by resource name
   * @param share each role's dominant share of the cluster (tasks running)
   * @param target each role's weighted-DRF target share given what it asks for (see docs/simulate.md)
   */
  public record Sample(long atMillis, Map<String, Double> used, Map<String, Double> share, Map<String, Double> target) {}
}
