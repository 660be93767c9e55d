package io.trellis.jobs.run;

import java.time.Instant;
import java.util.List;

/**
 * One run of a job: a slot of its schedule (or a manual or dependency trigger) and its attempts.
 * Instants are epoch milliseconds. The task id of each attempt derives from (job, slot, trigger,
 * attempt), so the same slot can never be launched under two ids.
 *
 * @param slot the scheduled instant (or the trigger instant for manual and dependency runs)
 * @param retryAt when a RETRYING run launches its next attempt
 */
public record Run(String job, long slot, Trigger trigger, int attempt, String taskId, RunState state,
    long created, Long started, Long finished, Integer exitCode, String agentId, String message,
    List<String> arguments, Long retryAt) {

  public Run {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
  }

  public static Run create(String job, Instant slot, Trigger trigger, Instant now, List<String> arguments) {
    return new Run(job, slot.toEpochMilli(), trigger, 1, TaskIds.of(job, slot.toEpochMilli(), trigger, 1),
        RunState.PENDING, now.toEpochMilli(), null, null, null, null, null, arguments, null);
  }

  /** Unique per job: the slot and the trigger. */
  public String key() {
    return key(slot, trigger);
  }

  public static String key(long slot, Trigger trigger) {
    return slot + "-" + trigger.letter();
  }

  public boolean isActive() {
    return !state.isTerminal();
  }

  public Run withState(RunState s, String why) {
    return new Run(job, slot, trigger, attempt, taskId, s, created, started, finished, exitCode, agentId,
        why == null ? message : why, arguments, retryAt);
  }

  public Run started(long at, String agent) {
    return new Run(job, slot, trigger, attempt, taskId, RunState.RUNNING, created, started == null ? at : started,
        finished, exitCode, agent == null ? agentId : agent, message, arguments, retryAt);
  }

  public Run ended(RunState s, long at, Integer exit, String why) {
    return new Run(job, slot, trigger, attempt, taskId, s, created, started == null ? at : started, at,
        exit, agentId, why, arguments, null);
  }

  public Run nextAttempt(long at, String why) {
    int next = attempt + 1;
    return new Run(job, slot, trigger, next, TaskIds.of(job, slot, trigger, next), RunState.RETRYING, created,
        null, null, exitCode, null, why, arguments, at);
  }

  public Run relaunching() {
    return new Run(job, slot, trigger, attempt, taskId, RunState.PENDING, created, null, null, null, null,
        message, arguments, null);
  }
}
