package io.trellis.allocator.preemption;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.util.List;

/**
 * One decision of the planner: kill {@code victims}, all on {@code agent}, so that the waiting
 * {@code need} of {@code framework} under {@code role} fits there.
 */
public record Preemption(FrameworkId framework, String role, Resources need, AgentId agent,
    List<ClusterSnapshot.RunningTask> victims, Basis basis) {
  public Preemption {
    victims = List.copyOf(victims);
  }

  /** Why the role may take resources back. */
  public enum Basis {
    /** It is below its quota guarantee. */
    GUARANTEE,
    /** It is below its weighted fair share (fair-share mode only). */
    FAIR_SHARE;

    public String text() {
      return this == GUARANTEE ? "guarantee" : "fair share";
    }
  }

  /** The resources the victims free. */
  public Resources freed() {
    Resources sum = Resources.empty();
    for (ClusterSnapshot.RunningTask t : victims) {
      sum = sum.plus(t.resources());
    }
    return sum;
  }
}
