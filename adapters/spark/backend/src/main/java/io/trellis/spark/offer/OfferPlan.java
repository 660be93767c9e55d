package io.trellis.spark.offer;

import io.trellis.api.OfferInfo;
import java.util.List;

/**
 * What to do with a batch of offers.
 *
 * @param launches offers to accept, each with the number of executors to start on it
 * @param declines offers to give back, each with the reason (for DEBUG logs)
 */
public record OfferPlan(List<Launch> launches, List<Decline> declines, Demand after) {
  public OfferPlan {
    launches = List.copyOf(launches);
    declines = List.copyOf(declines);
  }

  public record Launch(OfferInfo offer, int executors) {}

  public record Decline(OfferInfo offer, String reason) {}
}
