package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.offerTo;
import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quota guarantees are met before fair sharing and protected by headroom; limits are never exceeded. */
class QuotaTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  @Test
  void withoutQuotaTheFreeAgentGoesToTheRoleWithTheLowerShare() {
    cluster.agent("busy", "cpus:4;mem:4096",
        new Allocation(FrameworkId.of("Q"), "q", res("cpus:4;mem:4096")));
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    FrameworkId q = cluster.framework("Q", "q");
    FrameworkId r = cluster.framework("R", "r");

    Offer offer = offerTo(r, cluster.cycle());

    assertEquals(free, offer.agentId());
    assertTrue(cluster.outstandingTo(q).isEmpty());
  }

  @Test
  void guaranteeIsMetBeforeFairSharingEvenWhenTheRoleHasTheHigherShare() {
    cluster.agent("busy", "cpus:4;mem:4096",
        new Allocation(FrameworkId.of("Q"), "q", res("cpus:4;mem:4096")));
    AgentId free = cluster.agent("free", "cpus:4;mem:4096");
    FrameworkId q = cluster.framework("Q", "q");
    FrameworkId r = cluster.framework("R", "r");
    allocator.setQuota("q", Quota.of("cpus:8;mem:8192", ""));

    List<Offer> offers = cluster.cycle();

    Offer offer = offerTo(q, offers);
    assertEquals(free, offer.agentId());
    assertEquals(res("cpus:4;mem:4096"), offer.resources());
    assertTrue(TestCluster.offersTo(r, offers).isEmpty());
  }

  @Test
  void guaranteeIsOfferedOnlyUpToWhatIsStillMissingThenFairSharingResumes() {
    cluster.agent("a1", "cpus:10;mem:10240");
    FrameworkId q = cluster.framework("Q", "q");
    FrameworkId r = cluster.framework("R", "r");
    allocator.setQuota("q", Quota.of("cpus:2;mem:1024", ""));

    List<Offer> offers = cluster.cycle();

    Offer toQ = offerTo(q, offers);
    assertEquals(2.0, toQ.resources().scalar("cpus"));
    assertEquals(1024.0, toQ.resources().scalar("mem"));
    Offer toR = offerTo(r, offers);
    assertEquals(res("cpus:8;mem:9216"), toR.resources(), "the rest goes to the other role");
  }

  @Test
  void unmetGuaranteeHoldsBackHeadroomFromOtherRoles() {
    allocator.setQuota("reserved-for-later", Quota.of("cpus:8;mem:8192", ""));
    for (int i = 1; i <= 3; i++) {
      cluster.agent("a" + i, "cpus:4;mem:4096");
    }
    FrameworkId greedy = cluster.framework("greedy", "other");

    for (int i = 0; i < 5; i++) {
      for (Offer offer : cluster.cycle()) {
        allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
      }
    }

    assertEquals(4.0, allocator.allocated(greedy, "other").scalar("cpus"),
        "12 cpus minus the 8 guaranteed to the quota role");
    assertEquals(4096.0, allocator.allocated(greedy, "other").scalar("mem"));
  }

  @Test
  void headroomIsReleasedOnceTheGuaranteeIsMet() {
    allocator.setQuota("q", Quota.of("cpus:8;mem:8192", ""));
    for (int i = 1; i <= 3; i++) {
      cluster.agent("a" + i, "cpus:4;mem:4096");
    }
    FrameworkId other = cluster.framework("other", "o");
    for (Offer offer : cluster.cycle()) {
      allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
    }
    assertEquals(4.0, allocator.allocated(other, "o").scalar("cpus"));

    FrameworkId q = cluster.framework("Q", "q");
    for (Offer offer : cluster.cycle()) {
      assertEquals(q, offer.frameworkId());
      allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
    }

    assertEquals(8.0, allocator.allocated(q, "q").scalar("cpus"));
    assertTrue(allocator.explain(other, "o").stream()
        .noneMatch(reason -> reason.type() == Reason.Type.QUOTA_HEADROOM));
  }

  @Test
  void limitCapsWhatARoleIsOfferedAcrossAgentsAndCycles() {
    allocator.setQuota("capped", Quota.of("", "cpus:3"));
    for (int i = 1; i <= 4; i++) {
      cluster.agent("a" + i, "cpus:2;mem:2048");
    }
    FrameworkId f1 = cluster.framework("f1", "capped");
    FrameworkId f2 = cluster.framework("f2", "capped");

    for (int i = 0; i < 20; i++) {
      for (Offer offer : cluster.cycle()) {
        allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
      }
      double cpus = allocator.allocated(f1, "capped").scalar("cpus")
          + allocator.allocated(f2, "capped").scalar("cpus");
      assertTrue(cpus <= 3.0, "role capped holds " + cpus + " cpus after cycle " + i);
    }

    assertEquals(3.0, allocator.allocated(f1, "capped").scalar("cpus")
        + allocator.allocated(f2, "capped").scalar("cpus"), "the limit is reached, not undershot");
    assertEquals(8192.0, allocator.allocated(f1, "capped").scalar("mem")
        + allocator.allocated(f2, "capped").scalar("mem"), "mem is not limited");
  }

  @Test
  void limitOfAParentRoleCapsItsChildrenTogether() {
    allocator.setQuota("analytics", Quota.of("", "cpus:3"));
    for (int i = 1; i <= 4; i++) {
      cluster.agent("a" + i, "cpus:2;mem:2048");
    }
    FrameworkId spark = cluster.framework("spark", "analytics/spark");
    FrameworkId hive = cluster.framework("hive", "analytics/hive");
    FrameworkId web = cluster.framework("web", "web");

    for (int i = 0; i < 10; i++) {
      for (Offer offer : cluster.cycle()) {
        allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
      }
    }

    assertEquals(3.0, allocator.allocated(spark, "analytics/spark").scalar("cpus")
        + allocator.allocated(hive, "analytics/hive").scalar("cpus"));
    assertEquals(5.0, allocator.allocated(web, "web").scalar("cpus"), "the rest goes to web");
  }

  @Test
  void releasedResourcesMakeRoomUnderTheLimitAgain() {
    allocator.setQuota("capped", Quota.of("", "cpus:3"));
    AgentId agent = cluster.agent("a1", "cpus:8;mem:8192");
    FrameworkId f = cluster.framework("f", "capped");
    Offer first = offerTo(f, cluster.cycle());
    assertEquals(3.0, first.resources().scalar("cpus"));
    allocator.accept(first.id(), res("cpus:3;mem:1024"), Duration.ZERO);
    Offer memOnly = offerTo(f, cluster.cycle());
    assertEquals(0.0, memOnly.resources().scalar("cpus"));
    allocator.decline(memOnly.id(), Duration.ZERO);

    allocator.release(f, "capped", agent, res("cpus:1;mem:512"));

    Offer again = offerTo(f, cluster.cycle());
    assertEquals(1.0, again.resources().scalar("cpus"));
  }

  @Test
  void guaranteeAboveWhatTheRoleCanUseDoesNotStarveTheRoleItself() {
    allocator.setQuota("q", Quota.of("cpus:100", ""));
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId q = cluster.framework("Q", "q");

    Offer offer = offerTo(q, cluster.cycle());

    assertEquals(4.0, offer.resources().scalar("cpus"));
  }
}
