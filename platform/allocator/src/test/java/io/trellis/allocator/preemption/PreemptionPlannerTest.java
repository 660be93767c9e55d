package io.trellis.allocator.preemption;

import static io.trellis.allocator.preemption.Snapshots.victimIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Victim choice of the preemption planner, on hand-built snapshots. */
class PreemptionPlannerTest {
  private final PreemptionPlanner guarantee = new PreemptionPlanner(PreemptionMode.GUARANTEE);

  /** One 4-cpu agent filled by role "batch" with four 1-cpu tasks t1..t4 (t4 started last). */
  private Snapshots filled() {
    return new Snapshots().agent("a1", "cpus:4;mem:4096")
        .task("t1", "batch", "a1", "cpus:1;mem:1024")
        .task("t2", "batch", "a1", "cpus:1;mem:1024")
        .task("t3", "batch", "a1", "cpus:1;mem:1024")
        .task("t4", "batch", "a1", "cpus:1;mem:1024");
  }

  @Test
  void freesExactlyEnoughForTheWaitingNeedTakingTheMostRecentFirst() {
    ClusterSnapshot s = filled().role("web", "cpus:2", 1, true).waiting("web", "cpus:2;mem:2048").build();

    List<Preemption> plan = guarantee.plan(s);

    assertEquals(1, plan.size());
    assertEquals(List.of("t4", "t3"), victimIds(plan));
    assertEquals(AgentId.of("a1"), plan.get(0).agent());
    assertEquals(Preemption.Basis.GUARANTEE, plan.get(0).basis());
  }

  @Test
  void neverGivesTheRoleMoreThanItsGuarantee() {
    ClusterSnapshot s = filled().role("web", "cpus:1", 1, true).waiting("web", "cpus:2").build();

    assertEquals(List.of(), guarantee.plan(s));
  }

  @Test
  void aRoleWithoutAGuaranteeOrWithItMetPreemptsNothing() {
    assertEquals(List.of(), guarantee.plan(filled().waiting("web", "cpus:1").build()));
    ClusterSnapshot met = new Snapshots().agent("a1", "cpus:4").role("web", "cpus:1", 1, true)
        .task("w1", "web", "a1", "cpus:1").task("b1", "batch", "a1", "cpus:3")
        .waiting("web", "cpus:1").build();
    assertEquals(List.of(), guarantee.plan(met));
  }

  @Test
  void neverTakesAVictimRoleBelowItsOwnGuarantee() {
    ClusterSnapshot s = filled().role("batch", "cpus:3", 1, true).role("web", "cpus:2", 1, true)
        .waiting("web", "cpus:2").build();

    assertEquals(List.of(), guarantee.plan(s), "batch may give one cpu, web needs two");
    ClusterSnapshot one = filled().role("batch", "cpus:3", 1, true).role("web", "cpus:2", 1, true)
        .waiting("web", "cpus:1").build();
    assertEquals(List.of("t4"), victimIds(guarantee.plan(one)));
  }

  @Test
  void nonPreemptibleTasksAndRolesAreNeverChosen() {
    ClusterSnapshot s = new Snapshots().agent("a1", "cpus:4")
        .task("keep", "batch", "a1", "cpus:1", 0, false)
        .task("svc", "services", "a1", "cpus:1")
        .task("t1", "batch", "a1", "cpus:1")
        .task("svc2", "services", "a1", "cpus:1")
        .role("services", "", 1, false).role("web", "cpus:2", 1, true)
        .waiting("web", "cpus:1").build();
    assertEquals(List.of("t1"), victimIds(guarantee.plan(s)));

    ClusterSnapshot none = new Snapshots().agent("a1", "cpus:2")
        .task("keep", "batch", "a1", "cpus:1", 0, false).task("svc", "services", "a1", "cpus:1")
        .role("services", "", 1, false).role("web", "cpus:2", 1, true).waiting("web", "cpus:1").build();
    assertEquals(List.of(), guarantee.plan(none));
  }

  @Test
  void lowestPriorityGoesFirstThenTheMostRecentlyStarted() {
    ClusterSnapshot s = new Snapshots().agent("a1", "cpus:4")
        .task("old-low", "batch", "a1", "cpus:1", 1, true)
        .task("new-high", "batch", "a1", "cpus:1", 5, true)
        .task("mid-low", "batch", "a1", "cpus:1", 1, true)
        .task("newest-high", "batch", "a1", "cpus:1", 5, true)
        .role("web", "cpus:3", 1, true).waiting("web", "cpus:3").build();

    assertEquals(List.of("mid-low", "old-low", "newest-high"), victimIds(guarantee.plan(s)));
  }

  @Test
  void takesTheFewestVictimsOnOneAgent() {
    ClusterSnapshot s = new Snapshots().agent("a1", "cpus:4").agent("a2", "cpus:4")
        .task("small1", "batch", "a1", "cpus:1").task("small2", "batch", "a1", "cpus:1")
        .task("small3", "batch", "a1", "cpus:1").task("small4", "batch", "a1", "cpus:1")
        .task("big", "batch", "a2", "cpus:3").task("tiny", "batch", "a2", "cpus:1")
        .role("web", "cpus:3", 1, true).waiting("web", "cpus:3").build();

    List<Preemption> plan = guarantee.plan(s);

    assertEquals(List.of("big"), victimIds(plan), "one victim on a2 rather than three on a1");
    assertEquals(AgentId.of("a2"), plan.get(0).agent());
  }

  @Test
  void anOlderBiggerTaskIsSparedWhenSmallerRecentOnesSuffice() {
    ClusterSnapshot s = new Snapshots().agent("a1", "cpus:4")
        .task("big", "batch", "a1", "cpus:2").task("s1", "batch", "a1", "cpus:1").task("s2", "batch", "a1", "cpus:1")
        .role("web", "cpus:2", 1, true).waiting("web", "cpus:2").build();
    assertEquals(List.of("s2", "s1"), victimIds(guarantee.plan(s)));

    ClusterSnapshot spare = new Snapshots().agent("a1", "cpus:4")
        .task("s1", "batch", "a1", "cpus:1").task("big", "batch", "a1", "cpus:3")
        .role("web", "cpus:3", 1, true).waiting("web", "cpus:3").build();
    assertEquals(List.of("big"), victimIds(guarantee.plan(spare)), "s1 is spared: big alone frees enough");
  }

  @Test
  void nothingIsPreemptedWhenFreeResourcesFitOrNothingWaits() {
    ClusterSnapshot fits = new Snapshots().agent("a1", "cpus:4").agent("a2", "cpus:1")
        .task("t1", "batch", "a1", "cpus:4").role("web", "cpus:2", 1, true).waiting("web", "cpus:1").build();
    assertEquals(List.of(), guarantee.plan(fits));
    assertEquals(List.of(), guarantee.plan(filled().role("web", "cpus:2", 1, true).build()));
  }

  @Test
  void twoWaitingNeedsOfOneRoleShareItsGuarantee() {
    ClusterSnapshot s = filled().role("web", "cpus:3", 1, true)
        .waiting("web", "cpus:2")
        .waiting("web", "cpus:2").build();

    List<Preemption> plan = guarantee.plan(s);

    assertEquals(1, plan.size(), "the second need would take web past its guarantee");
    assertEquals(List.of("t4", "t3"), victimIds(plan));
  }

  @Test
  void offPreemptsNothingAndFairShareOnlyInItsMode() {
    assertEquals(List.of(), new PreemptionPlanner(PreemptionMode.OFF)
        .plan(filled().role("web", "cpus:2", 1, true).waiting("web", "cpus:1").build()));
    ClusterSnapshot fair = filled().waiting("web", "cpus:1;mem:1024").build();
    assertEquals(List.of(), guarantee.plan(fair));
    List<Preemption> plan = new PreemptionPlanner(PreemptionMode.FAIR_SHARE).plan(fair);
    assertEquals(List.of("t4"), victimIds(plan));
    assertEquals(Preemption.Basis.FAIR_SHARE, plan.get(0).basis());
  }

  @Test
  void fairSharePreemptionStopsAtTheWeightedShares() {
    // web weight 3, batch weight 1: web's fair share is 3 of 4 cpus.
    ClusterSnapshot s = filled().role("web", "", 3, true).waiting("web", "cpus:3;mem:3072").build();
    assertEquals(List.of("t4", "t3", "t2"), victimIds(new PreemptionPlanner(PreemptionMode.FAIR_SHARE).plan(s)));

    ClusterSnapshot beyond = filled().role("web", "", 3, true).waiting("web", "cpus:4").build();
    assertEquals(List.of(), new PreemptionPlanner(PreemptionMode.FAIR_SHARE).plan(beyond));
  }

  @Test
  void modesParseFromTheirOptionText() {
    assertEquals(PreemptionMode.FAIR_SHARE, PreemptionMode.parse("fair-share"));
    assertEquals(PreemptionMode.GUARANTEE, PreemptionMode.parse("Guarantee"));
    assertEquals(PreemptionMode.OFF, PreemptionMode.parse("off"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PreemptionMode.parse("always"));
    assertTrue(e.getMessage().contains("'always'"), e.getMessage());
  }
}
