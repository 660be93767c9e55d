package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Unknown ids and bad arguments fail with a message naming the value, and change nothing. */
class InvalidRequestTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;
  private final AgentId ghostAgent = AgentId.of("ghost-agent");
  private final FrameworkId ghostFramework = FrameworkId.of("ghost-framework");
  private final OfferId ghostOffer = OfferId.of("ghost-offer");

  private static void failsNaming(String value, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(value), () -> "'" + e.getMessage() + "' should name " + value);
  }

  @Test
  void unknownAgentIsNamed() {
    FrameworkId f = cluster.framework("f", "r");

    failsNaming("ghost-agent", () -> allocator.updateAgent(ghostAgent, res("cpus:1")));
    failsNaming("ghost-agent", () -> allocator.removeAgent(ghostAgent));
    failsNaming("ghost-agent", () -> allocator.setMaintenance(ghostAgent, true));
    failsNaming("ghost-agent", () -> allocator.release(f, "r", ghostAgent, res("cpus:1")));
  }

  @Test
  void unknownFrameworkIsNamed() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");

    failsNaming("ghost-framework", () -> allocator.removeFramework(ghostFramework));
    failsNaming("ghost-framework", () -> allocator.setActive(ghostFramework, true));
    failsNaming("ghost-framework", () -> allocator.suppress(ghostFramework, Set.of()));
    failsNaming("ghost-framework", () -> allocator.revive(ghostFramework, Set.of()));
    failsNaming("ghost-framework", () -> allocator.setMinimumOffer(ghostFramework, "r", res("cpus:1")));
    failsNaming("ghost-framework", () -> allocator.release(ghostFramework, "r", agent, res("cpus:1")));
    failsNaming("ghost-framework", () -> allocator.explain(ghostFramework, "r"));
    failsNaming("ghost-framework", () -> allocator.frameworkShare(ghostFramework, "r"));
    failsNaming("ghost-framework", () -> allocator.allocated(ghostFramework, "r"));
  }

  @Test
  void roleTheFrameworkIsNotSubscribedToIsNamed() {
    FrameworkId f = cluster.framework("f", "r");

    failsNaming("other", () -> allocator.explain(f, "other"));
    failsNaming("other", () -> allocator.suppress(f, Set.of("other")));
    failsNaming("nowhere", () -> allocator.roleShare("nowhere"));
  }

  @Test
  void unknownOfferIsNamed() {
    failsNaming("ghost-offer", () -> allocator.accept(ghostOffer, res("cpus:1"), Duration.ZERO));
    failsNaming("ghost-offer", () -> allocator.decline(ghostOffer, Duration.ZERO));
    failsNaming("ghost-offer", () -> allocator.rescind(ghostOffer, "why"));
  }

  @Test
  void frameworkWithoutRolesOrRegisteredTwiceIsRejected() {
    cluster.framework("f", "r");

    failsNaming("g", () -> allocator.addFramework(FrameworkId.of("g"), Set.of(), true));
    failsNaming("f", () -> allocator.addFramework(FrameworkId.of("f"), Set.of("r"), true));
    failsNaming("bad//role", () -> allocator.addFramework(FrameworkId.of("h"), Set.of("bad//role"), true));
  }

  @Test
  void weightMustBePositive() {
    failsNaming("-1", () -> allocator.setWeight("r", -1));
    failsNaming("0", () -> allocator.setWeight("r", 0));
    failsNaming("NaN", () -> allocator.setWeight("r", Double.NaN));
  }

  @Test
  void failedCallsLeaveOffersAndAllocationsAsTheyWere() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    assertThrows(IllegalArgumentException.class,
        () -> allocator.accept(offer.id(), res("cpus:1;gpus:1"), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> allocator.release(f, "r", agent, res("cpus:9")));
    assertThrows(IllegalArgumentException.class, () -> allocator.updateAgent(agent, res("cpus:1")));
    assertThrows(IllegalArgumentException.class,
        () -> allocator.setQuota("r", Quota.of("cpus:4", "cpus:2")));

    assertEquals(List.of(offer), allocator.outstandingOffers());
    assertEquals(offer.resources(), allocator.allocated(f, "r"));
    assertTrue(cluster.advance(Duration.ofMinutes(1)).isEmpty());
    allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
  }
}
