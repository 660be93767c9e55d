package io.trellis.storm.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.OfferInfo;
import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.WorkerSize;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfferPlannerTest {
  private static final SupervisorSize SUPERVISOR = new SupervisorSize(0.1, 256);
  private static final WorkerSize WORKER = new WorkerSize(0.5, 512);

  private static OfferInfo offer(String id, String resources) {
    return new OfferInfo(id, "fw", "agent-" + id, "host-" + id, "storm", resources, Map.of());
  }

  @Test
  void aGangTopologyStartsOnlyFromItsGangsOffersAndOthersOnlyFromOrdinaryOnes() {
    OfferPlanner planner = new OfferPlanner(SUPERVISOR, 1);
    WorkerSize size = WORKER;
    List<OfferPlanner.Need> needs = List.of(new OfferPlanner.Need("gang-1", "g", 2, size, true),
        new OfferPlanner.Need("plain-1", "p", 1, size, false));
    OfferInfo ordinary = offer("a", "cpus:4;mem:4096;ports:[31000-31010]");
    OfferPlanner.Plan plan = planner.planByGang(List.of(ordinary), needs);
    assertEquals(1, plan.placements().size(), "only the plain topology uses an ordinary offer");
    assertEquals("plain-1", plan.placements().get(0).topologyId());

    OfferInfo g1 = new OfferInfo("b", "fw", "agent-b", "host-b", "storm", "cpus:1;mem:1024;ports:[31000-31010]",
        Map.of(), "gang-1");
    OfferInfo g2 = new OfferInfo("c", "fw", "agent-c", "host-c", "storm", "cpus:1;mem:1024;ports:[31000-31010]",
        Map.of(), "gang-1");
    OfferPlanner.Plan gang = planner.planByGang(List.of(g1, g2), needs);
    assertEquals(2, gang.placements().size(), gang.toString());
    assertTrue(gang.placements().stream().allMatch(p -> p.topologyId().equals("gang-1")));
  }

  @Test
  void aSupervisorTakesItsWorkersCpusAndMemoryPlusOnePortPerSlotAndTheThriftPort() {
    OfferPlanner planner = new OfferPlanner(SUPERVISOR, 2);
    OfferPlanner.Plan plan = planner.plan(List.of(offer("a", "cpus:4;mem:4096;ports:[31000-31010]")),
        List.of(new OfferPlanner.Need("t-1", "t", 2, WORKER)));
    assertEquals(1, plan.placements().size());
    OfferPlanner.Placement p = plan.placements().get(0);
    assertEquals(2, p.slots());
    assertEquals(31000, p.thriftPort());
    assertEquals(List.of(31001L, 31002L), p.slotPorts());
    assertEquals(Resources.parse("cpus:1.1;mem:1280;ports:[31000-31002]"), Resources.parse(p.resources()));
    assertTrue(plan.declines().isEmpty());
  }

  @Test
  void supervisorsSpreadOverAgentsUntilTheNeedIsMetAndTheRestIsDeclined() {
    OfferPlanner planner = new OfferPlanner(SUPERVISOR, 1);
    OfferPlanner.Plan plan = planner.plan(List.of(offer("a", "cpus:4;mem:4096;ports:[31000-31010]"),
        offer("b", "cpus:4;mem:4096;ports:[31000-31010]"), offer("c", "cpus:4;mem:4096;ports:[31000-31010]")),
        List.of(new OfferPlanner.Need("t-1", "t", 3, WORKER)));
    assertEquals(List.of("agent-a", "agent-b", "agent-c"),
        plan.placements().stream().map(p -> p.offer().agentId()).toList(), "one supervisor on each agent");
    assertEquals(List.of(), plan.declines());
    plan = planner.plan(List.of(offer("a", "cpus:4;mem:4096;ports:[31000-31010]")),
        List.of(new OfferPlanner.Need("t-1", "t", 3, WORKER)));
    assertEquals(3, plan.placements().size(), "on one agent when it is the only one");
    plan = planner.plan(List.of(offer("d", "cpus:4;mem:4096;ports:[31000-31010]")), List.of());
    assertEquals(1, plan.declines().size());
    assertEquals("no topology wants more workers", plan.declines().get(0).reason());
  }

  @Test
  void aSmallOfferGetsFewerSlotsOrIsDeclinedWithItsSize() {
    OfferPlanner planner = new OfferPlanner(SUPERVISOR, 4);
    OfferPlanner.Plan plan = planner.plan(List.of(offer("a", "cpus:4;mem:1300;ports:[31000-31010]")),
        List.of(new OfferPlanner.Need("t-1", "t", 4, WORKER)));
    assertEquals(2, plan.placements().get(0).slots(), "256 + 2 x 512 fit in 1300 MB, 3 workers do not");
    plan = planner.plan(List.of(offer("b", "cpus:4;mem:700;ports:[31000-31010]")),
        List.of(new OfferPlanner.Need("t-1", "t", 1, WORKER)));
    assertTrue(plan.placements().isEmpty());
    assertTrue(plan.declines().get(0).reason().contains("smaller than one supervisor with one worker"),
        plan.declines().get(0).reason());
    plan = planner.plan(List.of(offer("c", "cpus:4;mem:4096;ports:[31000-31000]")),
        List.of(new OfferPlanner.Need("t-1", "t", 1, WORKER)));
    assertTrue(plan.placements().isEmpty(), "one port is not enough for a worker and the thrift port");
  }

  @Test
  void couldFitTellsAWorkerLargerThanAnAgent() {
    OfferPlanner planner = new OfferPlanner(SUPERVISOR, 1);
    assertTrue(planner.couldFit(Resources.parse("cpus:2;mem:2048;ports:[1-100]"), WORKER));
    assertFalse(planner.couldFit(Resources.parse("cpus:2;mem:2048;ports:[1-100]"), new WorkerSize(0.5, 65536)));
  }

  @Test
  void absurdSizesAreRefusedNamingTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerSize.of(Map.of(WorkerSize.MEM_MB, "1e400"), WORKER));
    assertTrue(e.getMessage().contains(WorkerSize.MEM_MB), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WorkerSize.of(Map.of(WorkerSize.CPU, "lots"), WORKER));
    assertTrue(e.getMessage().contains(WorkerSize.CPU), e.getMessage());
    assertEquals(new WorkerSize(1.0, 900), WorkerSize.of(Map.of(WorkerSize.CPU, 1, WorkerSize.MEM_MB, "900"), WORKER));
    assertThrows(IllegalArgumentException.class, () -> new OfferPlanner(SUPERVISOR, 0));
  }
}
