package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.preemption.Preemption;
import io.trellis.allocator.preemption.PreemptionMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preemption on the real allocator and simulated time: the planner's decisions carried out (agent
 * held for the preemptor, victims released) and what the allocator offers afterwards.
 */
class PreemptionTest {
  private final TestCluster cluster = new TestCluster();

  /** A 4-cpu agent filled by role "batch" with tasks of {@code task}, one per cpu. */
  private SimFramework batchFillingOneAgent(String task) {
    cluster.agent("a1", "cpus:4;mem:4096");
    SimFramework batch = cluster.sim("B", "batch", task);
    cluster.runUntilQuiet(batch);
    assertEquals(4, batch.tasks());
    return batch;
  }

  /** Role "web"'s framework, waiting for {@code task}. */
  private SimFramework waitingWeb(String task) {
    SimFramework web = cluster.sim("W", "web", task);
    cluster.allocator.setMinimumOffer(web.id, "web", web.task);
    return web;
  }

  @Test
  void aRoleBelowItsGuaranteeGetsExactlyItsGuaranteeBackAndNoMore() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:1024");
    SimFramework web = waitingWeb("cpus:2;mem:2048");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.GUARANTEE)
        .role("web", "cpus:2;mem:2048", 1).sim(batch).sim(web);

    driver.runUntilQuiet(batch, web);

    assertEquals(2, driver.preempted, "two 1-cpu tasks free the 2 cpus guaranteed");
    assertEquals(2, batch.tasks());
    assertEquals(1, web.tasks());
    assertEquals(TestCluster.res("cpus:2;mem:2048"), cluster.allocator.allocated(web.id, "web"));
    assertEquals(List.of(), driver.plan(), "the guarantee is met: nothing more is taken");
  }

  @Test
  void freedResourcesGoToThePreemptorWhileVictimsDieOneByOne() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:1024");
    SimFramework web = waitingWeb("cpus:2;mem:2048");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.FAIR_SHARE).sim(batch).sim(web);

    List<Preemption> plan = driver.plan();
    assertEquals(1, plan.size());
    assertEquals(2, plan.get(0).victims().size());
    driver.killOne();
    List<Offer> afterFirst = cluster.cycle();
    assertTrue(TestCluster.offersTo(batch.id, afterFirst).isEmpty(), "the freed cpu is held: " + afterFirst);
    driver.killOne();
    Offer offer = TestCluster.offerTo(web.id, cluster.cycle());
    assertTrue(web.answer(offer));
    assertEquals(List.of(), driver.plan(), "no second preemption for a need already served");
  }

  @Test
  void aHoldExpiresWhenThePreemptorNeverTakesTheResources() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:1024");
    SimFramework web = waitingWeb("cpus:2;mem:2048");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.FAIR_SHARE).sim(batch).sim(web);
    driver.plan();
    cluster.allocator.suppress(web.id, java.util.Set.of());
    driver.killAll();

    assertTrue(TestCluster.offersTo(batch.id, cluster.cycle()).isEmpty());
    List<Offer> later = cluster.advance(PreemptionDriver.HOLD.plus(Duration.ofSeconds(1)));
    assertEquals(TestCluster.res("cpus:2;mem:2048"), TestCluster.offerTo(batch.id, later).resources());
  }

  @Test
  void neverTakesARoleBelowItsOwnGuarantee() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:1024");
    SimFramework web = waitingWeb("cpus:1;mem:1024");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.GUARANTEE)
        .role("batch", "cpus:3;mem:3072", 1).role("web", "cpus:2;mem:2048", 1).sim(batch).sim(web);

    driver.runUntilQuiet(batch, web);

    assertEquals(1, driver.preempted, "batch keeps its own guarantee of 3 cpus");
    assertEquals(3, batch.tasks());
    assertEquals(1, web.tasks());
  }

  @Test
  void nothingIsPreemptedWhenAnAgentHasRoomOrNothingWaits() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:1024");
    SimFramework web = cluster.sim("W", "web", "cpus:1;mem:1024");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.GUARANTEE)
        .role("web", "cpus:2;mem:2048", 1).sim(batch).sim(web);
    assertEquals(List.of(), driver.plan(), "web declared no need: nothing waits");

    cluster.allocator.setMinimumOffer(web.id, "web", web.task);
    cluster.agent("a2", "cpus:1;mem:1024");
    assertEquals(List.of(), driver.plan(), "the new agent fits the need");
    cluster.allocator.suppress(web.id, java.util.Set.of());
    cluster.runUntilQuiet(batch);
    assertEquals(List.of(), driver.plan(), "a suppressed framework does not wait");
  }

  @Test
  void fairShareModeConvergesToTheWeightedShares() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.agent("a2", "cpus:4;mem:4096");
    SimFramework batch = cluster.sim("B", "batch", "cpus:1;mem:512");
    cluster.runUntilQuiet(batch);
    assertEquals(8, batch.tasks());
    SimFramework web = waitingWeb("cpus:1;mem:512");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.FAIR_SHARE)
        .role("batch", "", 1).role("web", "", 3).sim(batch).sim(web);

    driver.runUntilQuiet(batch, web);

    assertEquals(6, web.tasks(), "web's weight 3 of 4: 6 of 8 cpus");
    assertEquals(2, batch.tasks());
    assertEquals(6, driver.preempted);
    assertEquals(cluster.allocator.roleShare("web"), cluster.allocator.roleShare("batch"), 1e-9);
  }

  @Test
  void guaranteeModeLeavesFairSharesAlone() {
    SimFramework batch = batchFillingOneAgent("cpus:1;mem:512");
    SimFramework web = waitingWeb("cpus:1;mem:512");
    PreemptionDriver driver = new PreemptionDriver(cluster, PreemptionMode.GUARANTEE)
        .role("web", "", 3).sim(batch).sim(web);

    driver.runUntilQuiet(batch, web);

    assertEquals(0, driver.preempted);
    assertEquals(4, batch.tasks());
  }
}
