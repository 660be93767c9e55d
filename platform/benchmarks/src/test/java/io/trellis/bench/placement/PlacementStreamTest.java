package io.trellis.bench.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Small real runs of the placement stream: the real allocator and packing frameworks place every
 * task of the stream, and the checker finds nothing wrong with where they went.
 */
class PlacementStreamTest {
  private static PlacementStream.Result runClean(Workload w) {
    PlacementStream.Result r = PlacementStream.run(w);
    assertEquals(java.util.List.of(), r.violations(), w.label());
    assertEquals(r.asked(), r.placed(), w.label());
    assertEquals(w.batches(), r.batchNs().length, w.label());
    assertTrue(r.tasksPerSecond() > 0, w.label());
    return r;
  }

  @Test
  void everyGridShapeFillsToNinetyPercentWithAndWithoutTheConstraint() {
    // agents, roles, frameworks per role: 100 frameworks need more agents than 4-instance apps
    // spread over distinct agents can use when each holds one agent.
    for (boolean unique : new boolean[] {false, true}) {
      for (int[] cell : new int[][] {{50, 1, 10}, {500, 1, 100}, {500, 10, 10}}) {
        PlacementStream.Result r = runClean(Workload.of(cell[0], cell[1], cell[2], unique));
        assertEquals(cell[0] * 8 * 9 / 10, r.asked());
      }
    }
  }

  @Test
  void aStreamThatCannotBePlacedEndsAndIsReportedShort() {
    // 100 frameworks on 50 agents hold one agent each at most: no app of 4 instances fits.
    PlacementStream.Result r = PlacementStream.run(Workload.of(50, 1, 100, true));
    assertTrue(r.placed() < r.asked(), r.placed() + " of " + r.asked());
    assertEquals(java.util.List.of(r.placed() + " tasks placed, " + r.asked() + " asked"), r.violations());
  }

  @Test
  void frameworksThatDeclineWhatTheyCannotUsePlaceTheSameStream() {
    runClean(Workload.of(50, 1, 10, true).offers(Workload.OfferUse.DECLINE));
    runClean(Workload.of(500, 10, 10, false).offers(Workload.OfferUse.DECLINE));
  }

  @Test
  void aWindowMeasuresOnlyTheFirstBatches() {
    PlacementStream.Result r = runClean(Workload.of(300, 1, 10, false).window(2));
    assertEquals(400, r.asked());
    assertEquals(2, r.batchNs().length);
  }

  @Test
  void aFrameworkStarvedByOthersHoldingOffersIsServedOnceTheOfferTimeoutPasses() {
    // 100 hoarding frameworks with unique-host apps on 1,000 agents run out of distinct agents
    // near the end of the fill; the offer timeout hands the agents out again.
    runClean(Workload.of(1000, 1, 100, true));
  }
}
