package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Ranges;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an offer holds, and what accepting, declining, rescinding, timing out and releasing do. */
class OfferLifecycleTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  @Test
  void offerHoldsTheWholeFreeAgentIncludingItsPorts() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096;disk:1000;ports:[31000-32000]");
    FrameworkId f = cluster.framework("f", "r");

    Offer offer = offerTo(f, cluster.cycle());

    assertEquals(agent, offer.agentId());
    assertEquals("a1.example", offer.hostname());
    assertEquals("r", offer.role());
    assertEquals(res("cpus:4;mem:4096;disk:1000;ports:[31000-32000]"), offer.resources());
    assertEquals(cluster.time.instant(), offer.offeredAt());
    assertEquals(List.of(offer), allocator.outstandingOffers());
    assertEquals(offer.resources(), allocator.allocated(f, "r"));
  }

  @Test
  void portsUsedByATaskAreLeftOutOfTheNextOffer() {
    cluster.agent("a1", "cpus:4;mem:4096;ports:[31000-32000]");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.accept(offer.id(), res("cpus:1;mem:128;ports:[31000-31000]"), Duration.ZERO);

    Offer rest = offerTo(f, cluster.cycle());
    assertEquals(Ranges.of(31001, 32000), rest.resources().ranges("ports"));
    assertEquals(res("cpus:3;mem:3968;ports:[31001-32000]"), rest.resources());
  }

  @Test
  void agentWithLessThanTheMinimumAllocatableIsNotOffered() {
    cluster.agent("crumbs", "cpus:0.009;mem:31");
    FrameworkId f = cluster.framework("f", "r");

    assertTrue(cluster.cycle().isEmpty());
    assertTrue(allocator.allocated(f, "r").isEmpty());
  }

  @Test
  void eitherMinimumAloneIsEnoughForAnOffer() {
    cluster.agent("cpu-only", "cpus:0.01");
    cluster.agent("mem-only", "mem:32");
    FrameworkId f = cluster.framework("f", "r");

    List<Offer> offers = cluster.cycle();

    assertEquals(2, offers.size());
    assertTrue(offers.stream().allMatch(o -> o.frameworkId().equals(f)));
  }

  @Test
  void unansweredOfferIsRescindedAfterTheTimeoutAndOfferedAgain() {
    TestCluster timed = new TestCluster(AllocatorConfig.DEFAULTS.withOfferTimeout(Duration.ofSeconds(30)));
    timed.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = timed.framework("f", "r");
    Offer offer = offerTo(f, timed.cycle());

    assertTrue(timed.advance(Duration.ofMillis(29_999)).isEmpty());
    assertTrue(timed.listener.rescinded.isEmpty());

    Offer again = offerTo(f, timed.advance(Duration.ofMillis(1)));

    assertEquals(1, timed.listener.rescinded.size());
    TestCluster.Rescinded rescinded = timed.listener.rescinded.get(0);
    assertEquals(offer, rescinded.offer());
    assertTrue(rescinded.reason().contains("timed out"), rescinded.reason());
    assertNotEquals(offer.id(), again.id());
    assertEquals(offer.resources(), again.resources());
    assertEquals(List.of(again), timed.allocator.outstandingOffers());
    assertThrows(IllegalArgumentException.class,
        () -> timed.allocator.accept(offer.id(), offer.resources(), Duration.ZERO));
  }

  @Test
  void eachOfferTimesOutOnItsOwnSchedule() {
    TestCluster timed = new TestCluster(AllocatorConfig.DEFAULTS.withOfferTimeout(Duration.ofSeconds(30)));
    AgentId a1 = timed.agent("a1", "cpus:4;mem:4096");
    AgentId a2 = timed.agent("a2", "cpus:4;mem:4096");
    FrameworkId slow = timed.framework("slow", "r");
    List<Offer> offers = timed.cycle();
    Offer onA1 = offers.stream().filter(o -> o.agentId().equals(a1)).findFirst().orElseThrow();
    Offer onA2 = offers.stream().filter(o -> o.agentId().equals(a2)).findFirst().orElseThrow();
    timed.allocator.decline(onA2.id(), Duration.ofHours(1));
    FrameworkId other = timed.framework("other", "r");
    Offer toOther = offerTo(other, timed.cycle());
    assertEquals(a2, toOther.agentId());

    List<Offer> first = timed.advance(Duration.ofSeconds(30).minusMillis(5));

    assertEquals(List.of(onA1), timed.listener.rescinded.stream().map(r -> r.offer()).toList());
    assertEquals(a1, offerTo(slow, first).agentId());

    List<Offer> second = timed.advance(Duration.ofMillis(5));

    assertEquals(toOther, timed.listener.rescinded.get(1).offer());
    assertEquals(a2, offerTo(other, second).agentId(), "slow still filters a2");
  }

  @Test
  void answeredOffersAreNotRescindedByTheTimeout() {
    TestCluster timed = new TestCluster(AllocatorConfig.DEFAULTS.withOfferTimeout(Duration.ofSeconds(30)));
    timed.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = timed.framework("f", "r");
    Offer offer = offerTo(f, timed.cycle());
    timed.allocator.accept(offer.id(), res("cpus:4;mem:4096"), Duration.ZERO);

    timed.advance(Duration.ofMinutes(5));

    assertTrue(timed.listener.rescinded.isEmpty());
    assertEquals(res("cpus:4;mem:4096"), timed.allocator.allocated(f, "r"));
  }

  @Test
  void offersNeverTimeOutByDefault() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    cluster.advance(Duration.ofDays(7));

    assertTrue(cluster.listener.rescinded.isEmpty());
    assertEquals(List.of(offer), allocator.outstandingOffers());
  }

  @Test
  void rescindTakesBackAnOfferWithoutAFilter() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.rescind(offer.id(), "operator request");

    assertEquals("operator request", cluster.listener.rescinded.get(0).reason());
    assertEquals(offer.resources(), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void acceptedResourcesStayAllocatedUntilReleasedThenAreOfferedAgain() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), res("cpus:4;mem:4096"), Duration.ZERO);
    assertTrue(cluster.advance(Duration.ofMinutes(1)).isEmpty());
    assertEquals(res("cpus:4;mem:4096"), allocator.allocated(f, "r"));

    allocator.release(f, "r", agent, res("cpus:1;mem:1024"));

    assertEquals(res("cpus:1;mem:1024"), offerTo(f, cluster.cycle()).resources());
    assertEquals(res("cpus:4;mem:4096"), allocator.allocated(f, "r"), "3 in use + 1 offered");
  }

  @Test
  void releasingMoreThanTheFrameworkHoldsFailsAndNamesTheFramework() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), res("cpus:1;mem:1024"), Duration.ZERO);
    cluster.cycle();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> allocator.release(f, "r", agent, res("cpus:2;mem:1024")));

    assertTrue(e.getMessage().contains("framework f"), e.getMessage());
    assertEquals(res("cpus:4;mem:4096"), allocator.allocated(f, "r"), "nothing changed");
  }

  @Test
  void resourcesStillInAnOutstandingOfferCannotBeReleased() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    FrameworkId g = cluster.framework("g", "r");

    assertThrows(IllegalArgumentException.class,
        () -> allocator.release(f, "r", agent, res("cpus:1;mem:1024")));

    assertTrue(cluster.cycle().isEmpty(), "nothing may be offered twice");
    assertTrue(allocator.allocated(g, "r").isEmpty());
    allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
    assertEquals(offer.resources(), allocator.allocated(f, "r"));
  }

  @Test
  void acceptingResourcesNotInTheOfferFailsAndLeavesTheOfferOutstanding() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> allocator.accept(offer.id(), res("cpus:5"), Duration.ZERO));

    assertTrue(e.getMessage().contains(offer.id().value()), e.getMessage());
    assertEquals(List.of(offer), allocator.outstandingOffers());
    assertEquals(offer.resources(), allocator.allocated(f, "r"));
    allocator.accept(offer.id(), res("cpus:4"), Duration.ZERO);
    assertEquals(res("mem:4096"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void anOfferCanBeAnsweredOnlyOnce() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.decline(offer.id(), Duration.ZERO);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> allocator.accept(offer.id(), offer.resources(), Duration.ZERO));

    assertTrue(e.getMessage().contains(offer.id().value()), e.getMessage());
  }

  @Test
  void partiallyAcceptedOfferReturnsTheRestToTheAgent() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    FrameworkId g = cluster.framework("g", "r");
    Offer offer = offerTo(f, cluster.cycle());

    allocator.accept(offer.id(), res("cpus:1;mem:512"), Duration.ofHours(1));

    assertEquals(res("cpus:3;mem:3584"), offerTo(g, cluster.cycle()).resources());
    assertEquals(res("cpus:1;mem:512"), allocator.allocated(f, "r"));
  }
}
