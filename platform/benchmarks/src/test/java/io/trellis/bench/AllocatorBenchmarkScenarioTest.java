package io.trellis.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark scenarios do what they claim, on sizes small enough for every build. */
class AllocatorBenchmarkScenarioTest {
  @Test
  void declineOffersOffersEveryAgentToEveryFrameworkExactlyOnceThenStops() {
    AllocatorBenchmark.Result r = AllocatorBenchmark.declineOffers(300, 40, 1000, true);
    // Long filters mean no agent is offered twice to one framework; fairness means none is skipped.
    assertEquals(300L * 40, r.offers());
    // One offer per agent per round: 40 rounds with offers, then one that finds nothing.
    assertEquals(41, r.rounds());
  }

  @Test
  void quotaScenarioKeepsMakingOffersWhileGuaranteesAreUnmet() {
    AllocatorBenchmark.Result r = AllocatorBenchmark.quota(50, 50, 20, true);
    assertEquals(20, r.rounds());
    assertTrue(r.offers() >= 50, "offers: " + r.offers());
  }
}
