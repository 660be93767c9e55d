package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.Reason.Type;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Allocator#explain} names what keeps a framework from receiving offers. */
class ReasonsTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  private Reason onlyReason(FrameworkId framework, String role) {
    List<Reason> reasons = allocator.explain(framework, role);
    assertEquals(1, reasons.size(), () -> "expected one reason, got " + reasons);
    return reasons.get(0);
  }

  @Test
  void nothingToExplainWhenAnUnfilteredAgentIsFree() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");

    assertEquals(List.of(), allocator.explain(f, "r"));
  }

  @Test
  void noAgentsWhenNoneIsRegistered() {
    FrameworkId f = cluster.framework("f", "r");

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.NO_AGENTS, reason.type());
    assertTrue(reason.message().contains("no agent"), reason.message());
  }

  @Test
  void noAgentsWhenEveryAgentIsUnderMaintenance() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.setMaintenance(agent, true);

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.NO_AGENTS, reason.type());
    assertTrue(reason.message().contains("maintenance"), reason.message());
  }

  @Test
  void inactiveFramework() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.setActive(f, false);

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.INACTIVE, reason.type());
    assertTrue(reason.message().contains("framework f"), reason.message());
  }

  @Test
  void suppressedFramework() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.suppress(f, Set.of("r"));

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.SUPPRESSED, reason.type());
    assertTrue(reason.message().contains("revive"), reason.message());
  }

  @Test
  void quotaLimitReachedNamesTheRoleAndTheResource() {
    allocator.setQuota("capped", Quota.of("", "cpus:3"));
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "capped");
    Offer offer = offerTo(f, cluster.cycle());
    allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
    assertTrue(cluster.cycle().isEmpty());

    Reason reason = onlyReason(f, "capped");

    assertEquals(Type.QUOTA_LIMIT_REACHED, reason.type());
    assertTrue(reason.message().contains("role capped"), reason.message());
    assertTrue(reason.message().contains("cpus"), reason.message());
    assertTrue(reason.message().contains("3 of 3"), reason.message());
  }

  @Test
  void quotaLimitOfAParentRoleIsNamedForItsChildren() {
    allocator.setQuota("analytics", Quota.of("", "cpus:2"));
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId spark = cluster.framework("spark", "analytics/spark");
    Offer offer = offerTo(spark, cluster.cycle());
    allocator.accept(offer.id(), offer.resources(), Duration.ZERO);

    Reason reason = onlyReason(spark, "analytics/spark");

    assertEquals(Type.QUOTA_LIMIT_REACHED, reason.type());
    assertTrue(reason.message().contains("role analytics "), reason.message());
  }

  @Test
  void noAgentLargeEnoughForTheDeclaredMinimum() {
    cluster.agent("a1", "cpus:8;mem:8192");
    cluster.agent("a2", "cpus:6;mem:16384");
    FrameworkId f = cluster.framework("f", "r");
    allocator.setMinimumOffer(f, "r", res("cpus:64"));

    assertTrue(cluster.cycle().isEmpty());
    Reason reason = onlyReason(f, "r");

    assertEquals(Type.NO_AGENT_LARGE_ENOUGH, reason.type());
    assertTrue(reason.message().contains("64 cpus"), reason.message());
    assertTrue(reason.message().contains("largest: 8"), reason.message());
  }

  @Test
  void loweringTheMinimumOfferBringsOffersWithoutAnotherChange() {
    cluster.agent("a1", "cpus:8;mem:8192");
    FrameworkId f = cluster.framework("f", "r");
    allocator.setMinimumOffer(f, "r", res("cpus:64"));
    assertTrue(cluster.cycle().isEmpty());

    allocator.setMinimumOffer(f, "r", res("cpus:4"));

    assertEquals(res("cpus:8;mem:8192"), offerTo(f, cluster.cycle()).resources());
  }

  @Test
  void minimumOfferIsMetByAnAgentThatIsLargeEnoughOnly() {
    cluster.agent("small", "cpus:2;mem:2048");
    AgentId large = cluster.agent("large", "cpus:8;mem:8192");
    FrameworkId f = cluster.framework("f", "r");
    allocator.setMinimumOffer(f, "r", res("cpus:4;mem:1024"));

    assertEquals(large, offerTo(f, cluster.cycle()).agentId());
  }

  @Test
  void filteredNamesWhenTheFilterExpires() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    Offer offer = offerTo(f, cluster.cycle());
    Instant expiry = cluster.time.instant().plus(Duration.ofSeconds(10));
    allocator.decline(offer.id(), Duration.ofSeconds(10));
    cluster.cycle();

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.FILTERED, reason.type());
    assertTrue(reason.message().contains(expiry.toString()), reason.message());
  }

  @Test
  void fairShareExhaustedWhenEverythingIsOfferedToOthers() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId first = cluster.framework("first", "r");
    FrameworkId second = cluster.framework("second", "r");
    offerTo(first, cluster.cycle());

    Reason reason = onlyReason(second, "r");

    assertEquals(Type.FAIR_SHARE_EXHAUSTED, reason.type());
    assertTrue(reason.message().contains("framework second"), reason.message());
  }

  @Test
  void quotaHeadroomWhenFreeResourcesAreHeldForAnotherRolesGuarantee() {
    allocator.setQuota("guaranteed", Quota.of("cpus:8;mem:8192", ""));
    for (int i = 1; i <= 3; i++) {
      cluster.agent("a" + i, "cpus:4;mem:4096");
    }
    FrameworkId other = cluster.framework("other", "o");
    for (Offer offer : cluster.cycle()) {
      allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
    }
    assertTrue(cluster.cycle().isEmpty());

    Reason reason = onlyReason(other, "o");

    assertEquals(Type.QUOTA_HEADROOM, reason.type());
    assertTrue(reason.message().contains("cpus:8"), reason.message());
  }

  @Test
  void reasonChangesAsTheSituationDoes() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.suppress(f, Set.of());
    assertEquals(Type.SUPPRESSED, onlyReason(f, "r").type());

    allocator.revive(f, Set.of());
    assertEquals(List.of(), allocator.explain(f, "r"));

    allocator.setMaintenance(agent, true);
    assertEquals(Type.NO_AGENTS, onlyReason(f, "r").type());
  }

  @Test
  void aFrameworkHoldingTheOnlyOfferIsToldToAnswerIt() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    offerTo(f, cluster.cycle());

    Reason reason = onlyReason(f, "r");

    assertEquals(Type.OFFERS_OUTSTANDING, reason.type());
    assertTrue(reason.message().contains("accept or decline"), reason.message());
  }

  @Test
  void aCpuLimitDoesNotBlockOffersOfMemory() {
    allocator.setQuota("capped", Quota.of("", "cpus:3"));
    cluster.agent("a1", "cpus:4;mem:8192");
    FrameworkId f = cluster.framework("f", "capped");
    Offer first = offerTo(f, cluster.cycle());
    allocator.accept(first.id(), TestCluster.res("cpus:3;mem:1024"), Duration.ZERO);

    Offer memoryOnly = offerTo(f, cluster.cycle());

    assertEquals(TestCluster.res("mem:7168"), memoryOnly.resources());
    allocator.decline(memoryOnly.id(), Duration.ZERO);
    assertTrue(allocator.explain(f, "capped").stream().noneMatch(r -> r.type() == Type.QUOTA_LIMIT_REACHED),
        () -> allocator.explain(f, "capped").toString());
  }
}
