package io.trellis.agent.health;

import io.trellis.api.HealthCheckSpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The health of one task over all its checks; pure, driven by a clock. The task is healthy when
 * every check is, unhealthy as soon as one is. Only changes of that verdict are reported: the
 * first verdict, and each flip after it.
 */
final class TaskHealth {
  /** A change of the task's health to report, with a message naming the check and why. */
  record Change(boolean healthy, String message) {}

  private final List<CheckTracker> checks = new ArrayList<>();
  private final List<String> descriptions;
  private Boolean reported;

  /**
   * @param reported the health last reported for this task (after an agent restart), or null
   */
  TaskHealth(List<HealthCheckSpec> specs, List<String> descriptions, Instant taskStarted,
      InstantSource clock, Boolean reported) {
    if (specs.size() != descriptions.size()) {
      throw new IllegalArgumentException(specs.size() + " checks but " + descriptions.size() + " descriptions");
    }
    for (HealthCheckSpec spec : specs) {
      checks.add(new CheckTracker(spec, taskStarted, clock));
    }
    this.descriptions = List.copyOf(descriptions);
    this.reported = reported;
  }

  /** Records the result of check {@code index}; returns the change to report, if any. */
  Optional<Change> record(int index, ProbeResult result) {
    CheckTracker check = checks.get(index);
    check.record(result.passed());
    Boolean now = verdict();
    if (now == null || now.equals(reported)) {
      return Optional.empty();
    }
    reported = now;
    if (now) {
      return Optional.of(new Change(true, checks.size() == 1
          ? descriptions.get(0) + " " + result.detail()
          : "all " + checks.size() + " health checks pass"));
    }
    // A new unhealthy verdict comes from the check just probed: the others had not failed.
    int n = check.consecutiveFailures();
    return Optional.of(new Change(false, descriptions.get(index) + " " + result.detail() + " (" + n
        + " consecutive failure" + (n == 1 ? "" : "s") + ")"));
  }

  /** The health last reported, or null. */
  Boolean reported() {
    return reported;
  }

  private Boolean verdict() {
    boolean allHealthy = true;
    for (CheckTracker c : checks) {
      if (Boolean.FALSE.equals(c.healthy())) {
        return false;
      }
      allHealthy &= Boolean.TRUE.equals(c.healthy());
    }
    return allHealthy ? Boolean.TRUE : null;
  }

}
