package io.trellis.services.launch;

import io.trellis.services.app.AppDefinition;
import java.time.Duration;
import java.time.Instant;

/**
 * The launch delay of an app after failures: {@code backoffSeconds × backoffFactor^(n-1)} after
 * the n-th failure in a row, at most {@code maxLaunchDelaySeconds}. A new configuration starts
 * over; so does an app that has not failed for {@code maxLaunchDelaySeconds}.
 */
public record Backoff(int failures, Instant lastFailure, Instant until) {
  public static final Backoff NONE = new Backoff(0, null, null);

  public static Duration delay(AppDefinition app, int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    double seconds = app.backoffSeconds() * Math.pow(app.backoffFactor(), failures - 1);
    seconds = Math.min(seconds, app.maxLaunchDelaySeconds());
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** After one more failure at {@code now}. */
  public Backoff failed(AppDefinition app, Instant now) {
    int n = lastFailure != null && Duration.between(lastFailure, now).toMillis()
        > app.maxLaunchDelaySeconds() * 1000 ? 1 : failures + 1;
    return new Backoff(n, now, now.plus(delay(app, n)));
  }

  public boolean waiting(Instant now) {
    return until != null && now.isBefore(until);
  }

  public Duration left(Instant now) {
    return until == null || !now.isBefore(until) ? Duration.ZERO : Duration.between(now, until);
  }
}
