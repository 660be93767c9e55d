package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.FrameworkId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Changes are batched into one allocation cycle after the batch delay; allocate() runs one now. */
class BatchingTest {
  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;

  @Test
  void noCycleRunsBeforeTheBatchDelay() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.framework("f", "r");

    cluster.time.advance(Duration.ofMillis(4));

    assertEquals(0, cluster.listener.offerCalls);
    assertTrue(allocator.outstandingOffers().isEmpty());
  }

  @Test
  void changesWithinTheBatchDelayProduceOneCycle() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.time.advance(Duration.ofMillis(2));
    cluster.framework("f", "r");
    cluster.time.advance(Duration.ofMillis(2));
    cluster.agent("a2", "cpus:4;mem:4096");
    cluster.framework("g", "r");

    List<Offer> offers = cluster.advance(Duration.ofMillis(1));

    assertEquals(1, cluster.listener.offerCalls);
    assertEquals(2, offers.size(), "both agents in the one cycle");
    assertTrue(cluster.advance(Duration.ofSeconds(1)).isEmpty());
    assertEquals(1, cluster.listener.offerCalls);
  }

  @Test
  void changesWithinTheBatchDelayArmOneTimer() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.time.advance(Duration.ofMillis(1));
    cluster.agent("a2", "cpus:4;mem:4096");
    cluster.framework("f", "r");
    cluster.framework("g", "r");

    assertEquals(1, cluster.time.pending());
  }

  @Test
  void noSecondCycleRunsForChangesAlreadyBatched() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.time.advance(Duration.ofMillis(2));
    FrameworkId f = cluster.framework("f", "r");
    cluster.time.advance(Duration.ofMillis(2));
    allocator.setWeight("r", 2);
    Offer offer = TestCluster.offerTo(f, cluster.advance(Duration.ofMillis(1)));

    allocator.decline(offer.id(), Duration.ZERO);

    assertTrue(cluster.advance(Duration.ofMillis(4)).isEmpty(),
        "the decline's cycle runs one batch delay after it, not earlier");
    assertEquals(offer.resources(), TestCluster.offerTo(f, cluster.advance(Duration.ofMillis(1))).resources());
    assertEquals(2, cluster.listener.offerCalls);
  }

  @Test
  void aChangeAfterTheCycleSchedulesAnotherOne() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.framework("f", "r");
    cluster.cycle();

    cluster.agent("a2", "cpus:4;mem:4096");
    cluster.agent("a3", "cpus:4;mem:4096");
    List<Offer> offers = cluster.cycle();

    assertEquals(2, cluster.listener.offerCalls);
    assertEquals(2, offers.size());
  }

  @Test
  void manyAnswersToOffersAreBatchedIntoOneCycle() {
    for (int i = 0; i < 5; i++) {
      cluster.agent("a" + i, "cpus:4;mem:4096");
    }
    FrameworkId f = cluster.framework("f", "r");
    List<Offer> offers = cluster.cycle();
    assertEquals(5, offers.size());

    for (Offer offer : offers) {
      allocator.accept(offer.id(), res("cpus:1;mem:1024"), Duration.ZERO);
    }
    List<Offer> again = cluster.cycle();

    assertEquals(2, cluster.listener.offerCalls);
    assertEquals(5, again.size());
    assertTrue(again.stream().allMatch(o -> o.frameworkId().equals(f)));
  }

  @Test
  void allocateRunsACycleAtOnceAndReturnsItsOffers() {
    cluster.agent("a1", "cpus:4;mem:4096");
    cluster.framework("f", "r");

    List<Offer> offers = allocator.allocate();

    assertEquals(1, offers.size());
    assertEquals(offers, cluster.listener.take());
    assertEquals(offers, allocator.outstandingOffers());
  }

  @Test
  void changesThatCannotProduceOffersScheduleNothingVisible() {
    cluster.agent("a1", "cpus:4;mem:4096");
    FrameworkId f = cluster.framework("f", "r");
    allocator.suppress(f, Set.of());

    cluster.advance(Duration.ofMinutes(1));

    assertEquals(0, cluster.listener.offerCalls);
    assertEquals(0, cluster.time.pending(), "no timer left armed for a quiet allocator");
  }
}
