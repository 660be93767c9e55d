package io.trellis.jobs.job;

/** What a slot does when the job's previous run is still active. */
public enum ConcurrencyPolicy {
  /** Launch beside the active run. */
  ALLOW,
  /** Skip the slot, recorded in the history as SKIPPED. */
  FORBID,
  /** Kill the active run, then launch. */
  REPLACE
}
