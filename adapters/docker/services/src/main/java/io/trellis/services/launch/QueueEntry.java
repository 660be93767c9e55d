package io.trellis.services.launch;

import java.util.Map;

/**
 * An app waiting for instances to launch, for {@code /v2/queue}.
 *
 * @param count instances still to launch
 * @param reason why they are not running yet, in a sentence
 * @param rejections offers declined in the last round, by {@code Veto} kind
 * @param processedOffers offers looked at since the app started waiting
 */
public record QueueEntry(String appId, int count, String since, double delaySeconds, String reason,
    Map<String, Integer> rejections, int processedOffers, String lastUnusedOfferAt) {
  public QueueEntry {
    rejections = Map.copyOf(rejections);
  }
}
