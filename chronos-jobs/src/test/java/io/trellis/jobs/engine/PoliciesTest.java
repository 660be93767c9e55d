package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.jobs.JobsException;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.store.MemoryJobStore;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Missed-run and concurrency policies, retries, dependencies, async jobs and restarts, on a simulated clock. */
class PoliciesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final SimulatedTime time = new SimulatedTime(T0);
  private final MemoryJobStore store = new MemoryJobStore();
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final JobEngine engine = new JobEngine(time, time, store, launcher,
      EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(10)));

  private List<Instant> due() {
    return launcher.launched.stream().map(Launch::due).toList();
  }

  // A job created at T0 whose hourly schedule started 24 hours before.

  @Test
  void pastStartUnderSkipRunsOnlyTheCurrentSlotAndCountsTheSkipped() {
    engine.start();
    engine.put(Jobs.scheduled("past", "R/2025-12-31T00:00:00Z/PT1H", null, "ALLOW", "SKIP"), false);
    time.runDue();
    assertEquals(List.of(T0), due(), "only the slot of now (within epsilon) runs");
    assertEquals(24, engine.status("past").skipped());
    Run skipped = store.runs("past").get(0);
    assertEquals(RunState.SKIPPED, skipped.state());
    assertEquals(Instant.parse("2025-12-31T23:00:00Z").toEpochMilli(), skipped.slot());
  }

  @Test
  void pastStartUnderRunOnceRunsTheLatestMissedSlotOnce() {
    engine.start();
    engine.put(Jobs.scheduled("past", "R/2025-12-31T00:00:00Z/PT1H", null, "ALLOW", "RUN_ONCE"), false);
    time.runDue();
    assertEquals(List.of(Instant.parse("2025-12-31T23:00:00Z"), T0), due());
    assertEquals(23, engine.status("past").skipped());
  }

  @Test
  void pastStartUnderCatchUpRunsTheLatestMissedSlotsUpToTheLimit() {
    engine.start();
    engine.put(Jobs.scheduled("past", "R/2025-12-31T00:00:00Z/PT1H", null, "ALLOW", "CATCH_UP"), false);
    time.runDue();
    assertEquals(List.of(Instant.parse("2025-12-31T21:00:00Z"), Instant.parse("2025-12-31T22:00:00Z"),
        Instant.parse("2025-12-31T23:00:00Z"), T0), due());
    assertEquals(21, engine.status("past").skipped());
  }

  @Test
  void slotsMissedWhileNoLeaderRanFollowThePolicyAfterTheRestart() {
    engine.start();
    engine.put(Jobs.scheduled("hourly", "R/2026-01-01T01:00:00Z/PT1H", null, "ALLOW", "RUN_ONCE"), false);
    time.advance(Duration.ofHours(1));
    launcher.endAll(engine, TaskState.FINISHED, 0);
    engine.stop();
    time.advance(Duration.ofHours(5).plusMinutes(30));
    JobEngine next = new JobEngine(time, time, store, launcher, EngineConfig.defaults());
    next.start();
    time.advance(Duration.ofMinutes(30));
    assertEquals(List.of(Instant.parse("2026-01-01T01:00:00Z"), Instant.parse("2026-01-01T06:00:00Z"),
        Instant.parse("2026-01-01T07:00:00Z")), due());
    assertEquals(4, next.status("hourly").skipped());
  }

  @Test
  void aSlotRecordedBeforeACrashIsNeverLaunchedAgain() {
    engine.start();
    engine.put(Jobs.scheduled("once", "R/2026-01-01T00:01:00Z/PT1M", null, "ALLOW", "RUN_ONCE"), false);
    time.advance(Duration.ofMinutes(1));
    assertEquals(1, launcher.launched.size());
    String taskId = launcher.launched.get(0).task().taskId();
    // The leader dies after recording and launching the slot, before it stored the next slot.
    engine.stop();
    JobStatus s = store.status("once").orElseThrow();
    store.putStatus("once", s.withNextSlot(Instant.parse("2026-01-01T00:01:00Z").toEpochMilli()));
    time.advance(Duration.ofMinutes(5));
    JobEngine next = new JobEngine(time, time, store, launcher, EngineConfig.defaults());
    next.start();
    assertEquals(List.of(taskId), launcher.reconciled, "the unfinished run is reconciled");
    long launchesOfSlot = launcher.launched.stream().filter(l -> l.task().taskId().equals(taskId)).count();
    assertEquals(1, launchesOfSlot, "the recorded slot is not launched again");
    // The master knows the task: it finishes and the run succeeds.
    next.onUpdate(RecordingLauncher.status(taskId, TaskState.FINISHED, 0));
    assertEquals(RunState.SUCCEEDED, store.runs("once").get(0).state());
  }

  @Test
  void theGraceForUnknownTasksStartsAnewWithEverySubscription() {
    engine.start();
    engine.put(Jobs.scheduled("kept", "R/2026-01-01T00:01:00Z/PT1H"), false);
    time.advance(Duration.ofMinutes(1));
    String taskId = launcher.launched.get(0).task().taskId();
    engine.onUpdate(RecordingLauncher.status(taskId, TaskState.RUNNING, null));
    TaskStatus unknown = new TaskStatus(taskId, "fw", null, TaskState.GONE, "REASON_RECONCILIATION",
        "the master does not know this task", null, null, 0);
    // Two masters in a row take over before the task's agent registers again with either.
    engine.onUpdate(unknown);
    time.advance(Duration.ofSeconds(40));
    engine.subscribed();
    engine.onUpdate(unknown);
    time.advance(Duration.ofSeconds(40));
    engine.onUpdate(unknown);
    assertEquals(1, engine.active("kept").size(), "within the grace of the second master: still running");
    assertEquals(1, launcher.launched.size());
    time.advance(JobEngine.UNKNOWN_GRACE);
    engine.onUpdate(unknown);
    assertEquals(0, engine.active("kept").size(), "unknown past the grace of one master: ended");
  }

  @Test
  void aRecordedRunTheMasterNeverSawIsLaunchedUnderTheSameTaskId() {
    engine.start();
    engine.put(Jobs.scheduled("lost", "R/2026-01-01T00:01:00Z/PT1M"), false);
    time.advance(Duration.ofMinutes(1));
    String taskId = launcher.launched.get(0).task().taskId();
    engine.stop();
    JobEngine next = new JobEngine(time, time, store, launcher, EngineConfig.defaults());
    next.start();
    next.onUpdate(new TaskStatus(taskId, "fw", null, TaskState.GONE, "REASON_RECONCILIATION",
        "the master does not know this task", null, null, 0));
    assertEquals(2, launcher.launched.stream().filter(l -> l.task().taskId().equals(taskId)).count());
    assertEquals(1, next.active("lost").size());
  }

  // Concurrency: a job every minute whose runs take five minutes.

  private void longRuns(String policy) {
    engine.start();
    engine.put(Jobs.scheduled("long", "R/2026-01-01T00:01:00Z/PT1M", null, policy, null), false);
    time.advance(Duration.ofMinutes(3));
  }

  @Test
  void forbidSkipsSlotsWhileARunIsActive() {
    longRuns("FORBID");
    assertEquals(1, launcher.launched.size());
    List<Run> runs = store.runs("long");
    assertEquals(List.of(RunState.PENDING, RunState.SKIPPED, RunState.SKIPPED), runs.stream().map(Run::state).toList());
    assertEquals(2, engine.status("long").skipped());
  }

  @Test
  void allowRunsSlotsSideBySide() {
    longRuns("ALLOW");
    assertEquals(3, launcher.launched.size());
    assertEquals(3, engine.active("long").size());
  }

  @Test
  void replaceKillsTheActiveRunBeforeLaunching() {
    longRuns("REPLACE");
    assertEquals(3, launcher.launched.size());
    assertEquals(List.of(launcher.launched.get(0).task().taskId(), launcher.launched.get(1).task().taskId()),
        launcher.killed);
    for (String killed : launcher.killed) {
      engine.onUpdate(RecordingLauncher.status(killed, TaskState.KILLED, null));
    }
    List<Run> runs = store.runs("long");
    assertEquals(List.of(RunState.KILLED, RunState.KILLED, RunState.PENDING), runs.stream().map(Run::state).toList());
    assertEquals(0, engine.status("long").errorCount(), "a replaced run is no failure");
  }

  @Test
  void chronosConcurrentFlagMeansAllowAndItsAbsenceForbid() {
    assertEquals(io.trellis.jobs.job.ConcurrencyPolicy.FORBID, Jobs.scheduled("a", "R//PT1M").concurrencyPolicyOrDefault());
  }

  // Retries.

  @Test
  void aFailingJobIsRetriedWithBackoffThenMarkedFailed() {
    engine.start();
    engine.put(Jobs.withRetries(Jobs.scheduled("flaky", "R1/2026-01-01T00:01:00Z/PT1M"), 2), false);
    time.advance(Duration.ofMinutes(1));
    launcher.endAll(engine, TaskState.FAILED, 3);
    assertEquals(1, launcher.launched.size(), "the retry waits for its backoff");
    time.advance(Duration.ofSeconds(10));
    assertEquals(2, launcher.launched.size());
    launcher.endAll(engine, TaskState.FAILED, 3);
    time.advance(Duration.ofSeconds(19));
    assertEquals(2, launcher.launched.size(), "the second backoff is twice the first");
    time.advance(Duration.ofSeconds(1));
    assertEquals(3, launcher.launched.size());
    launcher.endAll(engine, TaskState.FAILED, 3);
    time.advance(Duration.ofMinutes(5));
    assertEquals(3, launcher.launched.size(), "retries: 2 means three attempts in all");
    assertEquals(List.of(1, 2, 3), launcher.launched.stream()
        .map(l -> Integer.parseInt(l.task().taskId().substring(l.task().taskId().lastIndexOf('.') + 1))).toList());
    Run run = store.runs("flaky").get(0);
    assertEquals(RunState.FAILED, run.state());
    assertEquals(3, run.attempt());
    assertEquals(3, run.exitCode());
    JobStatus s = engine.status("flaky");
    assertEquals(1, s.errorCount());
    assertEquals(0, s.successCount());
    assertEquals(1, engine.job("flaky").errorsSinceLastSuccess());
  }

  // Dependencies.

  @Test
  void aChildRunsOnceAfterAllItsParentsSucceeded() {
    engine.start();
    engine.put(Jobs.scheduled("A", "R/2026-01-01T00:10:00Z/PT1H"), false);
    engine.put(Jobs.scheduled("B", "R/2026-01-01T00:20:00Z/PT1H"), false);
    engine.put(Jobs.dependent("C", "A", "B"), true);
    time.advance(Duration.ofMinutes(10));
    launcher.endAll(engine, TaskState.FINISHED, 0);
    assertEquals(List.of("A"), launcher.launchedJobs(), "C waits for B");
    time.advance(Duration.ofMinutes(10));
    launcher.endAll(engine, TaskState.FINISHED, 0);
    assertEquals(List.of("A", "B", "C"), launcher.launchedJobs());
    launcher.endAll(engine, TaskState.FINISHED, 0);
    time.advance(Duration.ofHours(1));
    launcher.endAll(engine, TaskState.FINISHED, 0);
    assertEquals(List.of("A", "B", "C", "A", "B", "C"), launcher.launchedJobs());
    launcher.endAll(engine, TaskState.FINISHED, 0);
    assertEquals(2, engine.status("C").successCount());
  }

  @Test
  void aFailedParentDoesNotTriggerItsChild() {
    engine.start();
    engine.put(Jobs.scheduled("A", "R1/2026-01-01T00:10:00Z/PT1H"), false);
    engine.put(Jobs.dependent("C", "A"), true);
    time.advance(Duration.ofMinutes(10));
    launcher.endAll(engine, TaskState.FAILED, 1);
    assertEquals(List.of("A"), launcher.launchedJobs());
  }

  @Test
  void unknownParentsCyclesAndParentDeletionAreRefused() {
    engine.start();
    engine.put(Jobs.scheduled("A", "R//PT1H"), false);
    JobsException unknown = assertThrows(JobsException.class, () -> engine.put(Jobs.dependent("C", "A", "nope"), true));
    assertEquals(422, unknown.status());
    assertEquals("$.parents[1]", unknown.body().errors().get(0).path());
    engine.put(Jobs.dependent("B", "A"), true);
    engine.put(Jobs.dependent("C", "B"), true);
    JobsException cycle = assertThrows(JobsException.class, () -> engine.put(Jobs.dependent("B", "C"), true));
    assertEquals("$.parents", cycle.body().errors().get(0).path());
    assertTrue(cycle.body().errors().get(0).message().contains("B -> C -> B"), cycle.getMessage());
    assertEquals(409, assertThrows(JobsException.class, () -> engine.delete("B")).status());
    assertEquals(404, assertThrows(JobsException.class, () -> engine.delete("nope")).status());
  }

  // Async jobs.

  @Test
  void anAsyncJobSucceedsWhenItReportsCompletion() {
    engine.start();
    engine.put(Jobs.async(Jobs.scheduled("async", "R1/2026-01-01T00:01:00Z/PT1M")), false);
    time.advance(Duration.ofMinutes(1));
    launcher.endAll(engine, TaskState.FINISHED, 0);
    assertEquals(RunState.WAITING_ASYNC, engine.active("async").iterator().next().state());
    assertEquals(0, engine.status("async").successCount());
    engine.asyncSuccess("async");
    assertEquals(1, engine.status("async").successCount());
    assertTrue(engine.active("async").isEmpty());
    assertEquals(409, assertThrows(JobsException.class, () -> engine.asyncSuccess("async")).status());
  }

  @Test
  void aManualRunTakesItsArgumentsAndKillStopsIt() {
    engine.start();
    engine.put(Jobs.scheduled("manual", "R/2026-02-01T00:00:00Z/P1D"), false);
    engine.runNow("manual", List.of("--date", "2026-01-01"));
    Launch l = launcher.launched.get(0);
    assertEquals("echo manual '--date' '2026-01-01'", l.task().command().value());
    assertEquals(1, engine.killTasks("manual"));
    engine.onUpdate(RecordingLauncher.status(l.task().taskId(), TaskState.KILLED, null));
    assertEquals(RunState.KILLED, store.runs("manual").get(0).state());
  }

  @Test
  void historyKeepsTheLatestRunsOnly() {
    JobEngine small = new JobEngine(time, time, store, launcher, new EngineConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), 5));
    small.start();
    small.put(Jobs.scheduled("busy", "R/2026-01-01T00:01:00Z/PT1M"), false);
    for (int i = 0; i < 12; i++) {
      time.advance(Duration.ofMinutes(1));
      launcher.endAll(small, TaskState.FINISHED, 0);
    }
    assertEquals(5, store.runs("busy").size());
    assertEquals(12, small.status("busy").successCount());
  }
}
