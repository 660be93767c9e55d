package io.trellis.master;

import io.trellis.allocator.preemption.PreemptionMode;
import java.time.Duration;

/**
 * How the master takes resources back.
 *
 * @param mode what preemption honours: guarantees (the default), guarantees and weighted fair
 *     shares, or nothing
 * @param grace time between SIGTERM and SIGKILL for a preempted task (30 s, as Kubernetes'
 *     default termination grace period)
 * @param interval how often the master looks for waiting work to preempt for
 * @param hold how long, after its victims are killed, freed resources stay kept for the role
 *     that preempted if it does not take them
 */
public record PreemptionConfig(PreemptionMode mode, Duration grace, Duration interval, Duration hold) {
  public static final PreemptionConfig DEFAULTS = new PreemptionConfig(PreemptionMode.GUARANTEE,
      Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(15));

  public PreemptionConfig {
    if (mode == null) {
      throw new IllegalArgumentException("the preemption mode is required: guarantee, fair-share or off");
    }
    if (grace == null || grace.isNegative() || grace.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("the preemption grace period must be from 0 to 86400 s, got "
          + (grace == null ? "none" : grace.toMillis() / 1000.0 + " s"));
    }
    positive(interval, "preemption interval");
    positive(hold, "preemption hold");
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be a positive duration, got " + d);
    }
  }

  public PreemptionConfig withMode(PreemptionMode m) {
    return new PreemptionConfig(m, grace, interval, hold);
  }

  public PreemptionConfig withGrace(Duration g) {
    return new PreemptionConfig(mode, g, interval, hold);
  }

  public PreemptionConfig withInterval(Duration i) {
    return new PreemptionConfig(mode, grace, i, hold);
  }
}
