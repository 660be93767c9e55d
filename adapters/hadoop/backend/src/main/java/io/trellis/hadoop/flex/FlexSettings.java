package io.trellis.hadoop.flex;

import io.trellis.hadoop.profile.Profile;
import java.time.Duration;

/**
 * How the NodeManager count follows demand.
 *
 * @param min NMs kept even when idle (automatic mode) and the floor of a flexdown
 * @param max NMs at most, however much YARN waits for
 * @param automatic whether NMs are added while YARN has pending containers and removed when idle
 * @param autoProfile the size of NMs added automatically
 * @param idleGrace how long an NM without containers stays before it is decommissioned
 * @param starvedAfter how long containers may stay pending, though they seem to fit, before an NM is added
 * @param registrationTimeout how long an NM task may run without registering before it is killed
 * @param decommissionTimeoutSeconds how long YARN lets a decommissioning NM's containers finish
 */
public record FlexSettings(int min, int max, boolean automatic, Profile autoProfile, Duration idleGrace,
    Duration starvedAfter, Duration registrationTimeout, int decommissionTimeoutSeconds) {
  public FlexSettings {
    if (min < 0 || max < 1 || min > max || max > 1000) {
      throw new IllegalArgumentException("--min " + min + " and --max " + max
          + " must satisfy 0 <= min <= max, 1 <= max <= 1000");
    }
    if (idleGrace.isNegative() || starvedAfter.isNegative() || registrationTimeout.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
    if (decommissionTimeoutSeconds < 0) {
      throw new IllegalArgumentException("--decommission-timeout " + decommissionTimeoutSeconds + " must be >= 0");
    }
  }
}
