package io.trellis.simulate;

import io.trellis.allocator.preemption.PreemptionMode;
import java.time.Duration;

/**
 * How the replay runs.
 *
 * @param refuse the filter a framework sets on what it declines or leaves of an offer (Mesos' 5 s)
 * @param gangTimeout how long a gang is held before it falls back to independent tasks
 * @param preemption as the master's {@code --preemption}; victims stop at once and are resubmitted
 * @param preemptionInterval how often preemption is planned, as the master does
 * @param drain how long the replay goes on once the trace is over and nothing runs, while tasks
 *     still wait and nothing is placed
 * @param maxTime the replay stops here in any case (simulated time from the start of the trace;
 *     {@code trellis simulate --max-hours})
 */
public record ReplaySettings(Duration refuse, Duration gangTimeout, PreemptionMode preemption,
    Duration preemptionInterval, Duration drain, Duration maxTime) {
  public static final ReplaySettings DEFAULTS = new ReplaySettings(Duration.ofSeconds(5), Duration.ofMinutes(15),
      PreemptionMode.GUARANTEE, Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofDays(3650));

  public ReplaySettings withPreemption(PreemptionMode mode) {
    return new ReplaySettings(refuse, gangTimeout, mode, preemptionInterval, drain, maxTime);
  }

  public ReplaySettings withMaxTime(Duration max) {
    return new ReplaySettings(refuse, gangTimeout, preemption, preemptionInterval, drain, max);
  }
}
