package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.launch.QueueEntry;
import io.trellis.services.placement.Veto;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps {@code /v2/queue}: the apps waiting for launches and why they wait. */
final class Queue {
  private Queue() {}

  static void waiting(Parts p, AppDefinition app, int count, String blocked, Duration delay) {
    QueueEntry old = p.state.queue.get(app.id());
    String reason = blocked != null ? blocked
        : !delay.isZero() ? "launch delayed " + Math.max(1, delay.toSeconds()) + " s after failures (backoff)"
        : old != null && old.reason() != null && !old.reason().startsWith("waiting for") && !old.reason().startsWith("launch delayed")
            ? old.reason() : "waiting for an offer";
    p.state.queue.put(app.id(), new QueueEntry(app.id(), count, old == null ? p.now() : old.since(),
        delay.toMillis() / 1000.0, reason, old == null ? Map.of() : old.rejections(),
        old == null ? 0 : old.processedOffers(), old == null ? null : old.lastUnusedOfferAt()));
  }

  /** Records one round of offers that could not take the app's instances. */
  static void refused(Parts p, String appId, Map<String, Integer> kinds, Map<String, Veto> samples, int offers) {
    QueueEntry old = p.state.queue.get(appId);
    if (old == null || kinds.isEmpty()) {
      return;
    }
    String reason = summary(kinds, samples, offers);
    Map<String, Integer> merged = new LinkedHashMap<>(kinds);
    p.state.queue.put(appId, new QueueEntry(appId, old.count(), old.since(), old.delaySeconds(), reason,
        merged, old.processedOffers() + offers, p.now()));
  }

  /** "no offer fits: 2 of 2 offers: needs mem 99999, the offer has 4096". */
  static String summary(Map<String, Integer> kinds, Map<String, Veto> samples, int offers) {
    StringBuilder sb = new StringBuilder("no offer fits");
    kinds.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEach(e -> sb.append("; ").append(e.getValue()).append(" of ").append(offers)
            .append(offers == 1 ? " offer " : " offers ").append(e.getKey()).append(": ")
            .append(samples.get(e.getKey()).reason()));
    return sb.toString();
  }
}
