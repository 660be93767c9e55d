package io.trellis.simulate;

import io.trellis.core.resource.Resources;

/** The simulated cluster: {@code agents} identical agents of {@code agentResources} each. */
public record ClusterSpec(int agents, Resources agentResources) {
  public static final int MAX_AGENTS = 100_000;

  public ClusterSpec {
    if (agents < 1 || agents > MAX_AGENTS) {
      throw new IllegalArgumentException("--agents must be from 1 to " + MAX_AGENTS + ", got " + agents);
    }
    if (agentResources == null || agentResources.scalars().isEmpty()) {
      throw new IllegalArgumentException("--agent-resources needs scalar resources, e.g. cpus:8;mem:32768");
    }
    for (var r : agentResources.scalars().entries()) {
      if (!(r.amount() > 0 && r.amount() <= TaskGroup.MAX_AMOUNT)) {
        throw new IllegalArgumentException("--agent-resources " + r.name() + " must be above 0 and at most "
            + (long) TaskGroup.MAX_AMOUNT + ", got " + r.amount());
      }
    }
  }

  public Resources total() {
    return Sampler.times(agentResources.scalars(), agents);
  }
}
