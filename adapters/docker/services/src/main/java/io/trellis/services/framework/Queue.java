package io.trellis.services.framework;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.launch.QueueEntry;
import io.trellis.services.placement.Veto;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps {@code /v2/queue}: the apps waiting for launches and why they wait. */
final class Queue {
  private static final Logger log = LoggerFactory.getLogger(Queue.class);

  private Queue() {}

  /**
   * Records that handling {@code app} failed (a definition stored by an older version, a bug):
   * the queue shows it on that app, logged once per distinct problem; the other apps go on.
   */
  static void failed(Parts p, AppDefinition app, RuntimeException e) {
    String problem = "the services framework cannot handle this app: " + e.getMessage() + " ("
        + e.getClass().getSimpleName() + "); correct its definition with PUT /v2/apps" + app.id();
    if (!problem.equals(p.problems.put(app.id(), problem))) {
      log.warn("app {}: {}", app.id(), problem);
      log.debug("app {} failed", app.id(), e);
    }
    QueueEntry old = p.state.queue.get(app.id());
    p.state.queue.put(app.id(), new QueueEntry(app.id(), old == null ? app.instances() : old.count(),
        old == null ? p.now() : old.since(), 0, problem, old == null ? Map.of() : old.rejections(),
        old == null ? 0 : old.processedOffers(), old == null ? null : old.lastUnusedOfferAt()));
  }

  static void waiting(Parts p, AppDefinition app, int count, String blocked, Duration delay) {
    QueueEntry old = p.state.queue.get(app.id());
    Map<String, Object> failure = p.state.lastFailures.get(app.id());
    String reason = blocked != null ? blocked
        : !delay.isZero() ? "launch delayed " + Math.max(1, delay.toSeconds()) + " s after failures (backoff)"
            + (failure == null ? "" : "; the last one: " + failure.get("message"))
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
