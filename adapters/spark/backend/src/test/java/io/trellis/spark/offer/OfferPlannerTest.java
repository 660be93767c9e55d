package io.trellis.spark.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.OfferInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferPlannerTest {
  private static final ExecutorSize TWO_CORES = new ExecutorSize(2, 1024, 384);
  private final OfferPlanner planner = new OfferPlanner(TWO_CORES, Constraints.NONE);

  private static OfferInfo offer(String id, String agent, String resources, Map<String, String> attributes) {
    return new OfferInfo(id, "fw", agent, "host-" + agent, "spark", resources, attributes);
  }

  private static Demand unbounded() {
    return new Demand(0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  @Test
  void asManyExecutorsAsFitOnAnOffer() {
    OfferPlan plan = planner.plan(List.of(offer("o1", "a1", "cpus:5;mem:8192", Map.of())), unbounded(), Set.of());
    assertEquals(1, plan.launches().size());
    assertEquals(2, plan.launches().get(0).executors(), "five cpus hold two executors of two cores");
    assertEquals(4, plan.after().liveCores());
  }

  @Test
  void memoryWithOverheadLimitsExecutorsToo() {
    OfferPlan plan = planner.plan(List.of(offer("o1", "a1", "cpus:8;mem:3000", Map.of())), unbounded(), Set.of());
    assertEquals(2, plan.launches().get(0).executors(), "1408 MB each: two fit in 3000 MB");
  }

  @Test
  void coresMaxCapsTheLaunchesAcrossOffers() {
    Demand capped = new Demand(0, 0, Integer.MAX_VALUE, 5);
    OfferPlan plan = planner.plan(List.of(offer("o1", "a1", "cpus:4;mem:8192", Map.of()),
        offer("o2", "a2", "cpus:4;mem:8192", Map.of())), capped, Set.of());
    assertEquals(2, plan.launches().get(0).executors());
    assertEquals(1, plan.declines().size(), "a third two-core executor would pass cores.max 5");
    assertEquals("o2", plan.declines().get(0).offer().id());
  }

  @Test
  void theTargetNumberOfExecutorsIsRespected() {
    Demand one = new Demand(0, 0, 1, Integer.MAX_VALUE);
    OfferPlan plan = planner.plan(List.of(offer("o1", "a1", "cpus:8;mem:8192", Map.of())), one, Set.of());
    assertEquals(1, plan.launches().get(0).executors());
  }

  @Test
  void offersTooSmallExcludedOrOutsideTheConstraintsAreDeclinedWithAReason() {
    OfferPlanner constrained = new OfferPlanner(TWO_CORES, Constraints.parse("rack:r1,r2"));
    OfferPlan plan = constrained.plan(List.of(
        offer("small", "a1", "cpus:1;mem:8192", Map.of("rack", "r1")),
        offer("elsewhere", "a2", "cpus:8;mem:8192", Map.of("rack", "r9")),
        offer("excluded", "a3", "cpus:8;mem:8192", Map.of("rack", "r2")),
        offer("good", "a4", "cpus:2;mem:2048", Map.of("rack", "r2"))), unbounded(), Set.of("a3"));
    assertEquals(List.of("good"), plan.launches().stream().map(l -> l.offer().id()).toList());
    assertEquals(3, plan.declines().size());
    assertTrue(plan.declines().get(0).reason().contains("smaller than one executor"), plan.declines().get(0).reason());
    assertTrue(plan.declines().get(1).reason().contains("constraints"), plan.declines().get(1).reason());
    assertTrue(plan.declines().get(2).reason().contains("excluded"), plan.declines().get(2).reason());
  }

  @Test
  void everythingIsDeclinedOnceSatisfied() {
    Demand full = new Demand(3, 6, 3, Integer.MAX_VALUE);
    OfferPlan plan = planner.plan(List.of(offer("o1", "a1", "cpus:8;mem:8192", Map.of())), full, Set.of());
    assertTrue(plan.launches().isEmpty());
    assertTrue(plan.declines().get(0).reason().contains("no more executors wanted"));
  }
}
