package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Agents joining with running tasks, changing size, entering maintenance and leaving. */
class AgentLifecycleTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  @Test
  void agentJoiningWithRunningTasksOffersOnlyWhatIsFree() {
    FrameworkId owner = cluster.framework("owner", "r");
    cluster.agent("a1", "cpus:4;mem:4096;ports:[31000-31009]",
        new Allocation(owner, "r", res("cpus:1;mem:1024;ports:[31000-31000]")),
        new Allocation(owner, "r", res("cpus:1;mem:1024")));

    Offer offer = offerTo(owner, cluster.cycle());

    assertEquals(res("cpus:2;mem:2048;ports:[31001-31009]"), offer.resources());
    assertEquals(res("cpus:4;mem:4096;ports:[31000-31009]"), allocator.allocated(owner, "r"));
  }

  @Test
  void runningTasksCountTowardsTheOwnersShare() {
    FrameworkId owner = cluster.framework("owner", "a");
    FrameworkId newcomer = cluster.framework("newcomer", "b");
    cluster.agent("busy", "cpus:4;mem:4096", new Allocation(owner, "a", res("cpus:2;mem:1024")));
    assertEquals(0.5, allocator.roleShare("a"), 1e-9);

    List<Offer> offers = cluster.cycle();

    assertEquals(res("cpus:2;mem:3072"), offerTo(newcomer, offers).resources());
  }

  @Test
  void tasksReportedBeforeTheirFrameworkSubscribesAreKeptAndItGetsOffersOnceItDoes() {
    FrameworkId late = FrameworkId.of("late");
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096",
        new Allocation(late, "r", res("cpus:1;mem:1024")));
    assertTrue(cluster.cycle().isEmpty(), "an unsubscribed framework receives nothing");
    assertEquals(Reason.Type.INACTIVE, allocator.explain(late, "r").get(0).type());

    allocator.addFramework(late, Set.of("r"), true);

    assertEquals(res("cpus:3;mem:3072"), offerTo(late, cluster.cycle()).resources());
    allocator.release(late, "r", agent, res("cpus:1;mem:1024"));
    assertEquals(res("cpus:1;mem:1024"), offerTo(late, cluster.cycle()).resources());
  }

  @Test
  void tasksUnderARoleTheFrameworkNoLongerSubscribesToAreKeptButNotAddedTo() {
    FrameworkId f = FrameworkId.of("f");
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096",
        new Allocation(f, "old", res("cpus:1;mem:1024")));

    allocator.addFramework(f, Set.of("new"), true);

    Offer offer = offerTo(f, cluster.cycle());
    assertEquals("new", offer.role());
    assertEquals(res("cpus:1;mem:1024"), allocator.allocated(f, "old"));
    allocator.decline(offer.id(), Duration.ZERO);
    allocator.release(f, "old", agent, res("cpus:1;mem:1024"));
    assertTrue(cluster.cycle().stream().allMatch(o -> o.role().equals("new")));
    assertEquals(Reason.Type.INACTIVE, allocator.explain(f, "old").get(0).type());
  }

  @Test
  void agentReportingMoreInUseThanItHasIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cluster.agent("a1", "cpus:1;mem:1024",
            new Allocation(FrameworkId.of("f"), "r", res("cpus:2"))));

    assertTrue(e.getMessage().contains("a1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> allocator.removeAgent(AgentId.of("a1")));
  }

  @Test
  void addingAnAgentTwiceIsRejected() {
    cluster.agent("a1", "cpus:1;mem:1024");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cluster.agent("a1", "cpus:1;mem:1024"));

    assertTrue(e.getMessage().contains("a1"), e.getMessage());
  }

  @Test
  void growingAnAgentOffersTheNewResources() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), res("cpus:4;mem:4096"), Duration.ZERO);

    allocator.updateAgent(agent, res("cpus:8;mem:8192"));

    assertEquals(res("cpus:4;mem:4096"), offerTo(f, cluster.cycle()).resources());
    assertEquals(res("cpus:8;mem:8192"), allocator.allocated(f, "r"));
  }

  @Test
  void growingAnAgentDropsFiltersOnIt() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.decline(offerTo(f, cluster.cycle()).id(), Duration.ofHours(1));
    assertTrue(cluster.cycle().isEmpty());

    allocator.updateAgent(agent, res("cpus:6;mem:4096"));

    assertEquals(res("cpus:6;mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void shrinkingAnAgentBelowWhatFrameworksHoldIsRejected() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), res("cpus:3;mem:1024"), Duration.ZERO);
    allocator.decline(offerTo(f, cluster.cycle()).id(), Duration.ZERO);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> allocator.updateAgent(agent, res("cpus:2;mem:4096")));

    assertTrue(e.getMessage().contains("a1"), e.getMessage());
    allocator.updateAgent(agent, res("cpus:3;mem:2048"));
    assertEquals(res("mem:1024"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void removingAnAgentRescindsItsOffersAndDropsItsAllocations() {
    AgentId a1 = cluster.agent("a1", "cpus:4;mem:4096");
    AgentId a2 = cluster.agent("a2", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    List<Offer> offers = cluster.cycle();
    Offer onA1 = offers.stream().filter(o -> o.agentId().equals(a1)).findFirst().orElseThrow();
    allocator.accept(onA1.id(), res("cpus:1;mem:1024"), Duration.ZERO);
    Offer restOnA1 = offerTo(f, cluster.cycle());

    allocator.removeAgent(a1);

    assertEquals(List.of(restOnA1), cluster.listener.rescinded.stream().map(r -> r.offer()).toList());
    assertTrue(cluster.listener.rescinded.get(0).reason().contains("a1"));
    assertEquals(res("cpus:4;mem:4096"), allocator.allocated(f, "r"), "only a2's offer is left");
    assertTrue(allocator.outstandingOffers().stream().allMatch(o -> o.agentId().equals(a2)));
    assertTrue(cluster.cycle().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> allocator.updateAgent(a1, res("cpus:1")));
  }

  @Test
  void removedAgentsSlotCanBeReusedByANewAgent() {
    AgentId old = cluster.agent("old", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.decline(offerTo(f, cluster.cycle()).id(), Duration.ofHours(1));
    allocator.removeAgent(old);

    AgentId fresh = cluster.agent("fresh", "cpus:2;mem:2048");

    Offer offer = offerTo(f, cluster.cycle());
    assertEquals(fresh, offer.agentId());
    assertEquals(res("cpus:2;mem:2048"), offer.resources());
  }

  @Test
  void maintenanceRescindsOffersAndStopsNewOnesUntilItEnds() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.setMaintenance(agent, true);

    assertEquals(offer, cluster.listener.rescinded.get(0).offer());
    assertTrue(cluster.advance(Duration.ofMinutes(5)).isEmpty());
    assertTrue(allocator.allocate().isEmpty());
    assertTrue(allocator.allocated(f, "r").isEmpty());

    allocator.setMaintenance(agent, false);

    assertEquals(res("cpus:4;mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void tasksOnAnAgentInMaintenanceKeepRunningAndCanBeReleased() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.accept(offerTo(f, cluster.cycle()).id(), res("cpus:2;mem:2048"), Duration.ZERO);
    cluster.cycle();

    allocator.setMaintenance(agent, true);
    allocator.release(f, "r", agent, res("cpus:1;mem:1024"));

    assertTrue(cluster.cycle().isEmpty());
    assertEquals(res("cpus:1;mem:1024"), allocator.allocated(f, "r"));
    allocator.setMaintenance(agent, false);
    assertEquals(res("cpus:3;mem:3072"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void agentWithAttributesIsOfferedLikeAnyOther() {
    allocator.addAgent(AgentId.of("gpu-box"), "gpu-box.example", res("cpus:2;mem:2048;gpus:1"),
        Attributes.parse("rack:r1;zone:eu"), List.of());
    FrameworkId f = cluster.framework("f", "r");

    assertEquals("gpu-box.example", offerTo(f, cluster.cycle()).hostname());
  }
}
