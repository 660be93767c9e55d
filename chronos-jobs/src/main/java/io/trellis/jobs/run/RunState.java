package io.trellis.jobs.run;

/** Where a run stands. A run record exists before its task is launched. */
public enum RunState {
  /** Recorded; its task is queued for an offer or on its way to an agent. */
  PENDING,
  RUNNING,
  /** An async job's task finished; the job reports completion through the API. */
  WAITING_ASYNC,
  /** The last attempt failed; the next attempt waits for its backoff. */
  RETRYING,
  SUCCEEDED,
  /** Failed after every retry. */
  FAILED,
  /** Killed through the API or replaced by a newer run. */
  KILLED,
  /** Not run: the previous run was still active (concurrency FORBID) or the slot was missed (SKIP). */
  SKIPPED;

  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, KILLED, SKIPPED -> true;
      case PENDING, RUNNING, WAITING_ASYNC, RETRYING -> false;
    };
  }
}
