package io.trellis.jobs.job;

/**
 * What happens to slots that passed (by more than the job's epsilon) while no leader scheduled:
 * during a failover, a restart, or for a start in the past. Skipped slots are counted and logged,
 * never dropped silently.
 */
public enum MissedRunPolicy {
  /** Run none of them; go on with the next slot. */
  SKIP,
  /** Run the most recent missed slot once. */
  RUN_ONCE,
  /** Run the most recent missed slots, oldest first, at most {@code catchUpLimit} of them. */
  CATCH_UP
}
