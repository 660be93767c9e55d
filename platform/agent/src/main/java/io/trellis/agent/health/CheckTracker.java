package io.trellis.agent.health;

import io.trellis.api.HealthCheckSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Decides the health of one check from its probe results; pure, driven by a clock. Until the
 * task has passed a probe once, failures within the grace period after the task started do not
 * count. {@code maxConsecutiveFailures} counted failures in a row make the check unhealthy (a
 * value below 1 counts as 1); a pass makes it healthy and resets the count.
 */
final class CheckTracker {
  private final InstantSource clock;
  private final Instant graceEnds;
  private final int maxFailures;
  private boolean passedOnce;
  private int consecutiveFailures;
  private Boolean healthy;

  CheckTracker(HealthCheckSpec spec, Instant taskStarted, InstantSource clock) {
    this.clock = clock;
    this.graceEnds = taskStarted.plus(seconds(spec.gracePeriodSeconds()));
    this.maxFailures = Math.max(1, spec.maxConsecutiveFailures());
  }

  /** Records one probe result; returns the check's health afterwards. */
  Boolean record(boolean passed) {
    if (passed) {
      passedOnce = true;
      consecutiveFailures = 0;
      healthy = true;
    } else if (passedOnce || !clock.instant().isBefore(graceEnds)) {
      consecutiveFailures++;
      if (consecutiveFailures >= maxFailures) {
        healthy = false;
      }
    }
    return healthy;
  }

  /** True, false, or null while unknown (not yet passed and not yet failed enough). */
  Boolean healthy() {
    return healthy;
  }

  /** Failures counted in a row since the last pass. */
  int consecutiveFailures() {
    return consecutiveFailures;
  }

  static Duration seconds(double s) {
    if (!(s >= 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("a health check duration must be a finite number of seconds >= 0, got " + s);
    }
    return Duration.ofNanos((long) (s * 1_000_000_000L));
  }
}
