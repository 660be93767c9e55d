package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Within a role, a framework of higher priority is offered resources first, whatever the shares. */
class FrameworkPriorityTest {
  private final TestCluster cluster = new TestCluster();

  @Test
  void theHigherPriorityFrameworkOfARoleIsServedFirstAndDrfOrdersEqualPriorities() {
    cluster.agent("a1", "cpus:4;mem:4096");
    SimFramework low = cluster.sim("low", "batch", "cpus:1;mem:1024");
    SimFramework high = cluster.sim("high", "batch", "cpus:1;mem:1024");
    SimFramework other = cluster.sim("other", "web", "cpus:1;mem:1024");
    cluster.allocator.setPriority(high.id, 10);

    cluster.runUntilQuiet(low, high, other);

    assertEquals(0, low.tasks(), "batch's share goes to its higher-priority framework first");
    assertEquals(2, high.tasks());
    assertEquals(2, other.tasks(), "priorities do not change the shares between roles");

    cluster.allocator.setPriority(high.id, 0);
    high.finishOne();
    other.finishOne();
    cluster.runUntilQuiet(low, high, other);
    assertEquals(1, low.tasks(), "with equal priorities DRF orders the frameworks again");
    assertEquals(1, high.tasks());
  }
}
