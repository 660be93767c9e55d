package io.trellis.jobs.run;

/**
 * What the framework keeps per job beside its definition: counters for Chronos's read-only
 * fields and the scheduling position. Instants are epoch milliseconds.
 *
 * @param nextSlot the next slot of the schedule not yet handled; null when the schedule is
 *     exhausted or the job is dependent
 * @param lastTriggered when parents last triggered this (dependent) job; parents must succeed
 *     after it to trigger it again
 * @param skipped slots skipped under the missed-run or concurrency policy, in all
 */
public record JobStatus(long successCount, long errorCount, Long lastSuccess, Long lastError,
    long errorsSinceLastSuccess, Long nextSlot, long lastTriggered, long skipped) {

  public static JobStatus fresh(long now) {
    return new JobStatus(0, 0, null, null, 0, null, now, 0);
  }

  public JobStatus withNextSlot(Long slot) {
    return new JobStatus(successCount, errorCount, lastSuccess, lastError, errorsSinceLastSuccess, slot,
        lastTriggered, skipped);
  }

  public JobStatus succeeded(long at) {
    return new JobStatus(successCount + 1, errorCount, at, lastError, 0, nextSlot, lastTriggered, skipped);
  }

  public JobStatus failed(long at) {
    return new JobStatus(successCount, errorCount + 1, lastSuccess, at, errorsSinceLastSuccess + 1, nextSlot,
        lastTriggered, skipped);
  }

  public JobStatus triggered(long at) {
    return new JobStatus(successCount, errorCount, lastSuccess, lastError, errorsSinceLastSuccess, nextSlot,
        at, skipped);
  }

  public JobStatus skipped(long count) {
    return new JobStatus(successCount, errorCount, lastSuccess, lastError, errorsSinceLastSuccess, nextSlot,
        lastTriggered, skipped + count);
  }
}
