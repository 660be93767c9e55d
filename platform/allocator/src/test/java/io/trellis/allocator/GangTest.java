package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offersTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.DemandStatus.State;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Gangs on the real allocator and a simulated clock: held until enough members fit, offered all
 * together, one incomplete gang holding at a time, holds that end with the gang's timeout,
 * framework or agent, and that count toward the role's share and quota.
 */
class GangTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  static final MemberConstraint UNIQUE_HOST = MemberConstraint.parse(List.of("hostname", "UNIQUE"));

  static Demand gang(String id, String role, String member, int count, int min, Duration timeout, boolean hard) {
    return new Demand(id, role, res(member), count, List.of(UNIQUE_HOST), new Demand.Gang(min, timeout, hard));
  }

  static Demand gang(String id, String role, String member, int count) {
    return gang(id, role, member, count, count, null, false);
  }

  private DemandStatus status(FrameworkId f, String id) {
    return allocator.demands(f).stream().filter(d -> d.demand().id().equals(id)).findFirst().orElseThrow();
  }

  /** Agents {@code prefix1..n} of the given size, each wholly used by {@code busy} under role {@code busy}. */
  private List<AgentId> busyAgents(String prefix, int n, String size, FrameworkId busy) {
    List<AgentId> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(cluster.agent(prefix + i, size, new Allocation(busy, "busy", res(size))));
    }
    return out;
  }

  @Test
  void aGangIsHeldUntilAllMembersFitThenOfferedTogetherInOneBatch() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId other = cluster.framework("other", "other");
    FrameworkId g = cluster.framework("G", "g");
    List<AgentId> used = busyAgents("a", 2, "cpus:4;mem:4096", busy);
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    allocator.request(g, List.of(gang("workers", "g", "cpus:4;mem:4096", 3)));

    List<Offer> first = cluster.cycle();
    assertTrue(first.isEmpty(), "nothing is offered while only one of three members fits: " + first);
    DemandStatus held = status(g, "workers");
    assertEquals(State.HELD, held.state());
    assertEquals(Set.of(free), held.held().keySet());
    assertEquals(1, held.membersFitting());

    allocator.release(busy, "busy", used.get(0), res("cpus:4;mem:4096"));
    List<Offer> second = cluster.cycle();
    assertTrue(second.isEmpty(), "two of three held, still nothing offered: " + second);
    assertTrue(offersTo(other, allocator.outstandingOffers()).isEmpty(), "held agents are offered to nobody else");
    assertEquals(2, status(g, "workers").held().size());

    int callsBefore = cluster.listener.offerCalls;
    allocator.release(busy, "busy", used.get(1), res("cpus:4;mem:4096"));
    List<Offer> together = cluster.cycle();
    assertEquals(3, offersTo(g, together).size(), "all three members in one cycle: " + together);
    assertEquals(callsBefore + 1, cluster.listener.offerCalls, "one batch of offers");
    assertTrue(together.stream().allMatch(o -> "workers".equals(o.gang())));
    assertEquals(3, together.stream().map(Offer::agentId).distinct().count(), "hostname UNIQUE");
    assertEquals(State.OFFERED, status(g, "workers").state());
    assertTrue(allocator.heldByRole().isEmpty());

    // Declining the gang's offers frees them for everyone else; the gang is not held again.
    for (Offer o : together) {
      allocator.decline(o.id(), Duration.ZERO);
    }
    List<Offer> after = cluster.cycle();
    assertTrue(offersTo(g, after).stream().noneMatch(o -> o.gang() != null), "no second gang offer: " + after);
    assertEquals(State.OFFERED, status(g, "workers").state());
  }

  @Test
  void aGangThatFitsInFreeResourcesIsOfferedAtOnce() {
    FrameworkId g = cluster.framework("G", "g");
    cluster.agent("a1", "cpus:8;mem:8192");
    cluster.agent("a2", "cpus:8;mem:8192");
    allocator.request(g, List.of(new Demand("pair", "g", res("cpus:2;mem:1024"), 4, List.of(),
        new Demand.Gang(2, null, false))));

    List<Offer> offers = offersTo(g, cluster.cycle());

    List<Offer> gangOffers = offers.stream().filter(o -> "pair".equals(o.gang())).toList();
    double cpus = gangOffers.stream().mapToDouble(o -> o.resources().scalar("cpus")).sum();
    assertEquals(8.0, cpus, "all four members that fit, not just minMember: " + gangOffers);
    assertEquals(State.OFFERED, status(g, "pair").state());
  }

  @Test
  void twoGangsThatEachFitAloneButNotTogetherNeverDeadlock() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId a = cluster.framework("A", "ra");
    FrameworkId b = cluster.framework("B", "rb");
    List<AgentId> agents = busyAgents("n", 4, "cpus:4;mem:4096", busy);
    allocator.request(a, List.of(gang("ga", "ra", "cpus:4;mem:4096", 3)));
    allocator.request(b, List.of(gang("gb", "rb", "cpus:4;mem:4096", 3)));
    cluster.cycle();

    // Agents free up one at a time; each gang could take any of them.
    List<Offer> toA = new ArrayList<>();
    for (AgentId agent : agents) {
      allocator.release(busy, "busy", agent, res("cpus:4;mem:4096"));
      toA.addAll(offersTo(a, cluster.cycle()));
      int holding = (status(a, "ga").held().isEmpty() ? 0 : 1) + (status(b, "gb").held().isEmpty() ? 0 : 1);
      assertTrue(holding <= 1, "at most one incomplete gang holds at a time");
    }
    DemandStatus sa = status(a, "ga");
    DemandStatus sb = status(b, "gb");
    assertEquals(State.OFFERED, sa.state(), "the first gang in order completes: " + sa);
    assertEquals(3, toA.size());
    assertEquals(State.HELD, sb.state(), "the other holds the fourth agent: " + sb);
    assertTrue(sb.reason().contains("1 of 3 members fit"), sb.reason());

    // A runs and finishes; B completes from what A gives back.
    for (Offer o : toA) {
      allocator.accept(o.id(), o.resources(), Duration.ZERO);
    }
    for (Offer o : toA) {
      allocator.release(a, "ra", o.agentId(), o.resources());
    }
    List<Offer> toB = offersTo(b, cluster.cycle());
    assertEquals(3, toB.size(), "the second gang completes: " + toB);
    assertEquals(State.OFFERED, status(b, "gb").state());
  }

  @Test
  void aBigGangIsNotStarvedByAStreamOfSmallRequests() {
    SimFramework small = cluster.sim("small", "s", "cpus:1;mem:512");
    FrameworkId big = cluster.framework("big", "b");
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.agent("a2", "cpus:4;mem:4096");
    // The big framework declines ordinary offers: it waits for its gang.
    allocator.suppress(big, Set.of());
    cluster.runUntilQuiet(small);
    assertEquals(8, small.tasks(), "the small framework fills both agents");
    allocator.revive(big, Set.of());
    allocator.request(big, List.of(gang("whole", "b", "cpus:4;mem:2048", 2)));

    List<Offer> bigOffers = new ArrayList<>();
    for (int round = 0; round < 20 && bigOffers.isEmpty() && small.tasks() > 0; round++) {
      // The small framework ends one task and immediately asks for more.
      small.finishOne();
      for (Offer o : cluster.cycle()) {
        if (o.frameworkId().equals(big) && o.gang() == null) {
          allocator.decline(o.id(), Duration.ZERO);
        } else if (o.frameworkId().equals(big)) {
          bigOffers.add(o);
        } else if (o.frameworkId().equals(small.id)) {
          small.answer(o);
        }
      }
    }
    assertEquals(2, bigOffers.size(), "the big gang is offered once the small tasks it waited for end");
    assertTrue(bigOffers.stream().allMatch(o -> "whole".equals(o.gang())));
    assertEquals(0, small.tasks(), "every freed slot went to the gang, none back to the stream");
  }

  @Test
  void aSoftGangFallsBackToOrdinaryOffersAtItsTimeout() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    List<AgentId> used = busyAgents("a", 1, "cpus:4;mem:4096", busy);
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    allocator.request(g, List.of(gang("soft", "g", "cpus:4;mem:4096", 2, 2, Duration.ofSeconds(60), false)));
    cluster.cycle();
    assertEquals(Set.of(free), status(g, "soft").held().keySet());

    List<Offer> later = cluster.advance(Duration.ofSeconds(61));

    DemandStatus s = status(g, "soft");
    assertEquals(State.EXPIRED, s.state());
    assertTrue(s.reason().contains("waited 60 s") && s.reason().contains("1 of 2 members fit"), s.reason());
    assertTrue(s.held().isEmpty(), "the hold ends at the timeout");
    Offer plain = TestCluster.offerTo(g, later);
    assertNull(plain.gang(), "members now wait for ordinary offers");
    assertEquals(free, plain.agentId());
    assertTrue(cluster.listener.gangs.stream().anyMatch(x -> x.state() == State.EXPIRED));

    // As a plain demand it sets the smallest offer worth making: 2 free cpus are not offered.
    allocator.accept(plain.id(), res("cpus:2;mem:2048"), Duration.ZERO);
    assertTrue(offersTo(g, cluster.cycle()).isEmpty(), "cpus:2 left is smaller than one member");
    allocator.suppress(busy, Set.of());
    allocator.release(busy, "busy", used.get(0), res("cpus:4;mem:4096"));
    assertEquals(used.get(0), TestCluster.offerTo(g, cluster.cycle()).agentId());
  }

  @Test
  void aHardGangFailsWithTheReasonAtItsTimeoutAndFreesItsHold() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    FrameworkId other = cluster.framework("other", "other");
    allocator.suppress(other, Set.of());
    busyAgents("a", 1, "cpus:4;mem:4096", busy);
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    allocator.request(g, List.of(gang("hard", "g", "cpus:4;mem:4096", 2, 2, Duration.ofSeconds(30), true)));
    cluster.cycle();
    allocator.revive(other, Set.of());
    assertTrue(offersTo(other, cluster.cycle()).isEmpty(), "held for the gang");

    List<Offer> later = cluster.advance(Duration.ofSeconds(31));

    DemandStatus s = status(g, "hard");
    assertEquals(State.FAILED, s.state());
    assertTrue(s.reason().contains("1 of 2 members fit"), s.reason());
    assertTrue(s.reason().contains("FAIR_SHARE_EXHAUSTED") || s.reason().contains("in use"), s.reason());
    DemandStatus event = cluster.listener.gangs.get(cluster.listener.gangs.size() - 1);
    assertEquals(State.FAILED, event.state());
    assertTrue(later.stream().anyMatch(o -> o.agentId().equals(free) && o.gang() == null),
        "the failed gang's hold is offered again as ordinary resources: " + later);
    assertTrue(allocator.heldByRole().isEmpty());
  }

  @Test
  void holdsVanishWhenTheFrameworkDisconnectsAndComeBackWhenItReturns() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    FrameworkId other = cluster.framework("other", "other");
    busyAgents("a", 1, "cpus:4;mem:4096", busy);
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    allocator.suppress(other, Set.of());
    allocator.request(g, List.of(gang("w", "g", "cpus:4;mem:4096", 2)));
    cluster.cycle();
    assertEquals(res("cpus:4;mem:4096"), allocator.heldByRole().get("g"));

    allocator.setActive(g, false);
    allocator.revive(other, Set.of());

    assertTrue(allocator.heldByRole().isEmpty());
    assertEquals(0.0, allocator.roleShare("g"));
    assertEquals(free, TestCluster.offerTo(other, cluster.cycle()).agentId());
    assertEquals(State.WAITING, status(g, "w").state(), "the demand stays, its hold does not");
  }

  @Test
  void holdsVanishWhenTheFrameworkIsRemovedOrTheAgentGoesAway() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    FrameworkId h = cluster.framework("H", "h");
    busyAgents("a", 1, "cpus:4;mem:4096", busy);
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    allocator.request(g, List.of(gang("w", "g", "cpus:4;mem:4096", 2)));
    allocator.request(h, List.of(gang("v", "h", "cpus:4;mem:4096", 2)));
    cluster.cycle();
    FrameworkId holding = status(g, "w").held().isEmpty() ? h : g;
    FrameworkId next = holding.equals(g) ? h : g;
    String nextGang = next.equals(g) ? "w" : "v";
    DemandStatus queued = status(next, nextGang);
    assertTrue(queued.reason().contains("GANG_QUEUED"), queued.reason());

    allocator.removeFramework(holding);
    cluster.cycle();
    assertEquals(Set.of(free), status(next, nextGang).held().keySet(), "the next gang holds what was released");

    allocator.removeAgent(free);
    assertTrue(allocator.heldByRole().isEmpty(), "no hold outlives its agent");
    assertEquals(State.WAITING, status(next, nextGang).state());
    // Accounting is whole again: the agent can come back and be held.
    cluster.agent("free", "cpus:4;mem:4096");
    cluster.cycle();
    assertEquals(State.HELD, status(next, nextGang).state());
  }

  @Test
  void aGangWhoseOffersAreTakenBackBeforeAnAnswerWaitsAgain() {
    FrameworkId g = cluster.framework("G", "g");
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.agent("a2", "cpus:4;mem:4096");
    allocator.request(g, List.of(gang("w", "g", "cpus:4;mem:4096", 2)));
    assertEquals(2, offersTo(g, cluster.cycle()).size());

    // The framework subscribes again: it has forgotten its offers.
    allocator.withdrawOffers(g);
    List<Offer> again = offersTo(g, cluster.cycle());
    assertEquals(2, again.size(), "offered together again: " + again);
    assertTrue(again.stream().allMatch(o -> "w".equals(o.gang())));

    // It disconnects while holding them: they come back once it is active again.
    allocator.setActive(g, false);
    assertEquals(State.WAITING, status(g, "w").state());
    allocator.setActive(g, true);
    assertEquals(2, offersTo(g, cluster.cycle()).stream().filter(o -> "w".equals(o.gang())).count());
  }

  @Test
  void aNewRequestWithoutTheGangEndsItsHold() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    busyAgents("a", 1, "cpus:4;mem:4096", busy);
    cluster.agent("free", "cpus:4;mem:4096");
    Demand w = gang("w", "g", "cpus:4;mem:4096", 2);
    allocator.request(g, List.of(w));
    cluster.cycle();
    allocator.request(g, List.of(w));
    assertEquals(State.HELD, status(g, "w").state(), "the same gang again keeps its hold");

    allocator.request(g, List.of());

    assertTrue(allocator.heldByRole().isEmpty());
    assertTrue(allocator.demands(g).isEmpty());
    assertEquals("free", TestCluster.offerTo(g, cluster.cycle()).agentId().value());
  }

  @Test
  void holdsCountTowardTheRolesShareAndQuotaLimit() {
    FrameworkId busy = cluster.framework("busy", "busy");
    FrameworkId g = cluster.framework("G", "g");
    FrameworkId plain = cluster.framework("P", "g");
    allocator.suppress(plain, Set.of());
    allocator.setQuota("g", Quota.of("", "cpus:4"));
    busyAgents("a", 1, "cpus:14;mem:15360", busy);
    cluster.agent("small", "cpus:2;mem:1024");
    // Only agent "small" may take members: the gang holds one and waits for a second agent.
    allocator.request(g, List.of(new Demand("w", "g", res("cpus:2;mem:1024"), 2,
        List.of(UNIQUE_HOST, MemberConstraint.parse(List.of("hostname", "LIKE", "small.*"))),
        new Demand.Gang(2, null, false))));
    cluster.cycle();
    assertEquals(res("cpus:2;mem:1024"), allocator.heldByRole().get("g"));
    assertEquals(2.0 / 16, allocator.roleShare("g"), 1e-9, "the hold is the role's share");

    cluster.agent("more", "cpus:8;mem:8192");
    allocator.revive(plain, Set.of());
    Offer toPlain = TestCluster.offerTo(plain, cluster.cycle());
    assertEquals(2.0, toPlain.resources().scalar("cpus"), "limit cpus:4 minus the 2 held: " + toPlain);
  }

  @Test
  void aGangLargerThanTheClusterOrItsRoleLimitIsRefusedWithTheReason() {
    cluster.framework("G", "g");
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.agent("a2", "cpus:4;mem:4096");
    allocator.setQuota("g", Quota.of("", "cpus:6"));

    String tooMany = allocator.gangRefusal("g", res("cpus:1;mem:512"), 3, List.of(UNIQUE_HOST));
    assertNotNull(tooMany);
    assertTrue(tooMany.contains("hold at most 2 members"), tooMany);
    String tooBig = allocator.gangRefusal("g", res("cpus:4;mem:512"), 2, List.of());
    assertTrue(tooBig.contains("quota limit of role g"), tooBig);
    String noAgentLargeEnough = allocator.gangRefusal("other", res("cpus:5"), 1, List.of());
    assertTrue(noAgentLargeEnough.contains("at most 0 members"), noAgentLargeEnough);
    assertNull(allocator.gangRefusal("g", res("cpus:3;mem:512"), 2, List.of(UNIQUE_HOST)));
  }

  @Test
  void aPlainDemandSetsTheSmallestOfferAndExplainsTheMissingAgent() {
    FrameworkId f = cluster.framework("F", "r");
    cluster.agent("small", "cpus:2;mem:2048");
    allocator.request(f, List.of(new Demand("tasks", "r", res("cpus:3;mem:1024"), 5, List.of(), null),
        new Demand("other", "r", res("cpus:4;mem:512"), 1, List.of(), null)));

    assertTrue(cluster.cycle().isEmpty(), "no agent holds cpus:3");
    String why = allocator.explain(f, "r").stream().map(Reason::toString).collect(Collectors.joining());
    assertTrue(why.contains("NO_AGENT_LARGE_ENOUGH") && why.contains("3 cpus"), why);
    assertNull(allocator.demands(f).get(0).state(), "a plain demand has no gang state");

    allocator.request(f, List.of());
    assertEquals(1, offersTo(f, cluster.cycle()).size(), "nothing waits: any offer will do");
  }

  @Test
  void aRequestWithAnUnknownRoleOrRepeatedIdChangesNothing() {
    FrameworkId f = cluster.framework("F", "r");
    Demand ok = new Demand("x", "r", res("cpus:1"), 1, List.of(), null);
    allocator.request(f, List.of(ok));
    IllegalArgumentException role = assertThrows(IllegalArgumentException.class, () -> allocator.request(f,
        List.of(new Demand("y", "r", res("cpus:1"), 1, List.of(), null),
            new Demand("z", "nope", res("cpus:1"), 1, List.of(), null))));
    assertTrue(role.getMessage().contains("nope"), role.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> allocator.request(f, List.of(ok, ok)));
    assertTrue(twice.getMessage().contains("appears twice"), twice.getMessage());
    assertEquals(List.of("x"), allocator.demands(f).stream().map(d -> d.demand().id()).toList());
  }
}
