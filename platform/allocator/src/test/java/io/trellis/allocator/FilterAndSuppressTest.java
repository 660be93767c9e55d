package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refuse filters, suppress and revive, and inactive frameworks. */
class FilterAndSuppressTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;
  private final FrameworkId holder = FrameworkId.of("holder");

  /** An agent of 4 cpus whose framework {@link #holder} uses half and wants no more. */
  private AgentId agentHalfUsedBy(FrameworkId holder) {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096",
        new Allocation(holder, "h", res("cpus:2;mem:2048")));
    allocator.addFramework(holder, Set.of("h"), true);
    allocator.suppress(holder, Set.of());
    return agent;
  }

  @Test
  void declinedAgentGoesToAnotherFrameworkAndReturnsWhenTheFilterExpires() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId first = cluster.framework("first", "r");
    FrameworkId second = cluster.framework("second", "r");
    Offer offer = offerTo(first, cluster.cycle());
    allocator.decline(offer.id(), Duration.ofSeconds(10));

    Offer toSecond = offerTo(second, cluster.cycle());
    assertEquals(agent, toSecond.agentId());
    allocator.decline(toSecond.id(), Duration.ofHours(1));

    assertTrue(cluster.advance(Duration.ofMillis(9_990)).isEmpty(),
        "the agent is filtered for both frameworks until 10 s after the first decline");

    Offer again = offerTo(first, cluster.advance(Duration.ofMillis(10)));
    assertEquals(agent, again.agentId());
    assertEquals(res("cpus:4;mem:4096"), again.resources());
  }

  @Test
  void filterAppliesToTheDecliningFrameworkOnlyForThatAgent() {
    AgentId a1 = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    assertEquals(a1, offer.agentId());
    allocator.decline(offer.id(), Duration.ofSeconds(10));
    assertTrue(cluster.cycle().isEmpty());

    AgentId a2 = cluster.agent("a2", "cpus:4;mem:4096");

    Offer other = offerTo(f, cluster.cycle());
    assertEquals(a2, other.agentId());
  }

  @Test
  void filterIsDroppedWhenTheAgentGainsFreeResources() {
    AgentId agent = agentHalfUsedBy(holder);
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    assertEquals(res("cpus:2;mem:2048"), offer.resources());
    allocator.decline(offer.id(), Duration.ofHours(1));
    assertTrue(cluster.advance(Duration.ofMinutes(1)).isEmpty());

    allocator.release(holder, "h", agent, res("cpus:1;mem:1024"));

    Offer again = offerTo(f, cluster.cycle());
    assertEquals(res("cpus:3;mem:3072"), again.resources());
  }

  @Test
  void resourcesFreedAfterAnOfferAreNotFilteredByItsDecline() {
    AgentId agent = agentHalfUsedBy(holder);
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    assertEquals(res("cpus:2;mem:2048"), offer.resources());

    // A task ends between the offer and its decline: the framework never saw what it freed.
    allocator.release(holder, "h", agent, res("cpus:1;mem:1024"));
    allocator.decline(offer.id(), Duration.ofHours(1));

    Offer again = offerTo(f, cluster.cycle());
    assertEquals(res("cpus:3;mem:3072"), again.resources());
  }

  @Test
  void twoDeclinedOffersOnOneAgentKeepItFiltered() {
    AgentId agent = agentHalfUsedBy(holder);
    FrameworkId f = cluster.framework("f", "r");
    Offer first = offerTo(f, cluster.cycle());
    allocator.release(holder, "h", agent, res("cpus:2;mem:2048"));
    Offer second = offerTo(f, cluster.cycle());
    assertEquals(res("cpus:2;mem:2048"), second.resources());

    allocator.decline(first.id(), Duration.ofHours(1));
    allocator.decline(second.id(), Duration.ofHours(1));

    assertTrue(cluster.advance(Duration.ofMinutes(1)).isEmpty(),
        "both declines together refuse the whole agent");
  }

  @Test
  void filterSurvivesWhenFreeResourcesOnlyReturnToWhatWasDeclined() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    FrameworkId other = cluster.framework("other", "r");
    allocator.decline(offerTo(f, cluster.cycle()).id(), Duration.ofHours(1));
    Offer toOther = offerTo(other, cluster.cycle());

    allocator.decline(toOther.id(), Duration.ZERO);

    List<Offer> next = cluster.cycle();
    assertEquals(other, offerTo(other, next).frameworkId());
    assertTrue(TestCluster.offersTo(f, next).isEmpty());
  }

  @Test
  void acceptWithARefuseDurationFiltersTheRemainder() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.accept(offer.id(), res("cpus:1;mem:1024"), Duration.ofSeconds(5));

    assertTrue(cluster.advance(Duration.ofMillis(4_999)).isEmpty());
    Offer rest = offerTo(f, cluster.advance(Duration.ofMillis(1)));
    assertEquals(res("cpus:3;mem:3072"), rest.resources());
  }

  @Test
  void reviveClearsFilters() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.decline(offerTo(f, cluster.cycle()).id(), Duration.ofHours(1));
    assertTrue(cluster.advance(Duration.ofSeconds(30)).isEmpty());

    allocator.revive(f, Set.of());

    assertEquals(res("cpus:4;mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void suppressedFrameworkReceivesNoOffersUntilItRevives() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.suppress(f, Set.of());

    assertTrue(cluster.advance(Duration.ofMinutes(10)).isEmpty());
    assertTrue(allocator.allocate().isEmpty());

    allocator.revive(f, Set.of());
    assertEquals(res("cpus:4;mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void suppressingOneRoleKeepsOffersForTheFrameworksOtherRoles() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "batch", "service");

    allocator.suppress(f, Set.of("batch"));

    List<Offer> offers = cluster.cycle();
    assertEquals(1, offers.size());
    assertEquals("service", offers.get(0).role());
  }

  @Test
  void suppressedFrameworkLeavesTheAgentToOthers() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId quiet = cluster.framework("quiet", "r");
    FrameworkId busy = cluster.framework("busy", "r");

    allocator.suppress(quiet, Set.of());

    assertEquals(busy, cluster.cycle().get(0).frameworkId());
  }

  @Test
  void deactivatingAFrameworkRescindsItsOffersAndStopsNewOnes() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.setActive(f, false);

    assertEquals(List.of(offer), cluster.listener.rescinded.stream().map(r -> r.offer()).toList());
    assertTrue(cluster.outstandingTo(f).isEmpty());
    assertTrue(allocator.allocated(f, "r").isEmpty());
    assertTrue(cluster.advance(Duration.ofMinutes(1)).isEmpty());

    allocator.setActive(f, true);
    assertEquals(res("cpus:4;mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void resourcesOfADeactivatedFrameworksOffersGoToOthers() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    offerTo(f, cluster.cycle());
    FrameworkId g = cluster.framework("g", "r");

    allocator.setActive(f, false);

    assertEquals(res("cpus:4;mem:4096"), offerTo(g, cluster.cycle()).resources());
  }

  @Test
  void removedFrameworkGivesBackOffersAndTasks() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), res("cpus:1;mem:1024"), Duration.ZERO);
    offerTo(f, cluster.cycle());
    FrameworkId g = cluster.framework("g", "r");

    allocator.removeFramework(f);

    assertEquals(1, cluster.listener.rescinded.size());
    Offer toG = offerTo(g, cluster.cycle());
    assertEquals(agent, toG.agentId());
    assertEquals(res("cpus:4;mem:4096"), toG.resources());
  }
}
