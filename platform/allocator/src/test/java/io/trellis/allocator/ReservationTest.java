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
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Statically reserved resources are offered only to their role and its descendants. */
class ReservationTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  @Test
  void reservedResourcesAreNotOfferedToOtherRoles() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId web = cluster.framework("web", "web");

    Offer offer = offerTo(web, cluster.cycle());

    assertEquals(res("cpus:4;mem:4096"), offer.resources());
    allocator.decline(offer.id(), Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      for (Offer o : cluster.cycle()) {
        assertTrue(o.resources().reserved().isEmpty(), () -> "offered " + o);
        allocator.decline(o.id(), Duration.ZERO);
      }
    }
  }

  @Test
  void reservedResourcesGoToTheirRoleTogetherWithUnreservedOnes() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId spark = cluster.framework("spark", "spark");

    Offer offer = offerTo(spark, cluster.cycle());

    assertEquals(res("cpus:4;mem:4096;cpus(spark):2"), offer.resources());
    assertEquals(6.0, allocator.allocated(spark, "spark").scalar("cpus"));
  }

  @Test
  void reservationStaysWithItsRoleWhenAnotherRoleIsFirstInLine() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId web = cluster.framework("web", "web");
    FrameworkId spark = cluster.framework("spark", "spark");

    List<Offer> offers = cluster.cycle();

    assertEquals(res("cpus:4;mem:4096"), offerTo(web, offers).resources());
    assertEquals(res("cpus(spark):2"), offerTo(spark, offers).resources());
  }

  @Test
  void eachRoleIsOfferedOnlyItsOwnReservationsOnASharedAgent() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2;cpus(web):1;mem(web):512");
    FrameworkId spark = cluster.framework("spark", "spark");
    FrameworkId web = cluster.framework("web", "web");

    List<Offer> offers = cluster.cycle();

    Offer toSpark = offerTo(spark, offers);
    Offer toWeb = offerTo(web, offers);
    assertEquals(Set.of("spark"), toSpark.resources().reservationRoles());
    assertEquals(Set.of("web"), toWeb.resources().reservationRoles());
    assertEquals(res("cpus:4;mem:4096;cpus(spark):2;cpus(web):1;mem(web):512"),
        toSpark.resources().plus(toWeb.resources()));
  }

  @Test
  void reservationOfARoleIsOfferedToItsChildRoles() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId streaming = cluster.framework("streaming", "spark/streaming");

    Offer offer = offerTo(streaming, cluster.cycle());

    assertEquals(res("cpus:4;mem:4096;cpus(spark):2"), offer.resources());
  }

  @Test
  void reservationIsNotOfferedToARoleThatMerelySharesItsPrefix() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId sparkling = cluster.framework("sparkling", "sparkling");

    Offer offer = offerTo(sparkling, cluster.cycle());

    assertEquals(res("cpus:4;mem:4096"), offer.resources());
  }

  @Test
  void reservationOfAChildRoleIsNotOfferedToItsParent() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark/streaming):2");
    FrameworkId spark = cluster.framework("spark", "spark");

    assertEquals(res("cpus:4;mem:4096"), offerTo(spark, cluster.cycle()).resources());
  }

  @Test
  void declinedReservedResourcesAreOfferedAgainToTheRole() {
    cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2;mem(spark):1024");
    FrameworkId spark = cluster.framework("spark", "spark");
    Offer offer = offerTo(spark, cluster.cycle());

    allocator.accept(offer.id(), res("cpus(spark):1;cpus:1;mem:1024"), Duration.ZERO);

    assertEquals(res("cpus:3;mem:3072;cpus(spark):1;mem(spark):1024"),
        offerTo(spark, cluster.cycle()).resources());
  }

  @Test
  void releasedReservedResourcesReturnToTheReservation() {
    AgentId agent = cluster.agent("a1", "cpus:4;mem:4096;cpus(spark):2");
    FrameworkId spark = cluster.framework("spark", "spark");
    FrameworkId web = cluster.framework("web", "web");
    allocator.accept(offerTo(spark, cluster.cycle()).id(), res("cpus(spark):2;mem:512"), Duration.ZERO);
    allocator.accept(offerTo(web, cluster.cycle()).id(), res("cpus:4;mem:3584"), Duration.ZERO);

    allocator.release(spark, "spark", agent, res("cpus(spark):2"));

    List<Offer> offers = cluster.cycle();
    assertEquals(res("cpus(spark):2"), offerTo(spark, offers).resources());
    assertTrue(TestCluster.offersTo(web, offers).isEmpty());
  }

  @Test
  void agentWithOnlyReservedResourcesIsOfferedToItsRole() {
    cluster.agent("a1", "cpus(spark):2;mem(spark):2048");
    FrameworkId web = cluster.framework("web", "web");
    assertTrue(cluster.cycle().isEmpty());

    FrameworkId spark = cluster.framework("spark", "spark");

    assertEquals(res("cpus(spark):2;mem(spark):2048"), offerTo(spark, cluster.cycle()).resources());
    assertTrue(allocator.allocated(web, "web").isEmpty());
  }

  @Test
  void reservationsCountTowardTheQuotaLimit() {
    allocator.setQuota("capped", Quota.of("", "cpus:3"));
    cluster.agent("a1", "cpus:4;mem:4096;cpus(capped):2");
    FrameworkId capped = cluster.framework("capped", "capped");

    Offer offer = offerTo(capped, cluster.cycle());

    // The 2 reserved cpus leave room for 1 unreserved cpu under the limit of 3.
    assertEquals(res("cpus:1;mem:4096;cpus(capped):2"), offer.resources());
    assertEquals(3.0, allocator.allocated(capped, "capped").scalar("cpus"));
  }

  @Test
  void reservationsBeyondTheQuotaLimitAreNotOffered() {
    allocator.setQuota("capped", Quota.of("", "cpus:1"));
    cluster.agent("a1", "cpus:4;mem:4096;cpus(capped):2");
    FrameworkId capped = cluster.framework("capped", "capped");

    Offer offer = offerTo(capped, cluster.cycle());

    assertEquals(res("cpus:1;mem:4096"), offer.resources());
    assertEquals(1.0, allocator.allocated(capped, "capped").scalar("cpus"));
  }
}
