package io.trellis.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.run.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every job store does; run against each implementation. */
abstract class JobStoreContract {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  abstract JobStore store();

  static Job job(String name) {
    return new Job(name, "true", null, null, "R//PT1M", null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  private static Run run(String job, int minute) {
    return Run.create(job, T.plusSeconds(60L * minute), Trigger.SCHEDULE, T, List.of());
  }

  @Test
  void aSlotIsRecordedOnceWhateverTheBatch() {
    JobStore s = store();
    assertEquals(2, s.createRuns(List.of(run("a", 1), run("a", 2))).size());
    List<Run> again = s.createRuns(List.of(run("a", 2), run("a", 3), run("b b/x", 1)));
    assertEquals(List.of(run("a", 3).key(), run("b b/x", 1).key()), again.stream().map(Run::key).toList(),
        "the recorded slot is left alone, the others are created");
    assertEquals(List.of(), s.createRuns(List.of(run("a", 1))));
    assertEquals(3, s.runs("a").size());
    assertEquals(List.of(run("a", 1).slot(), run("a", 2).slot(), run("a", 3).slot()),
        s.runs("a").stream().map(Run::slot).toList(), "oldest slot first");
  }

  /**
   * Thousands of jobs with long names due at one slot: their runs, recorded in one call, total
   * well over ZooKeeper's 1 MB limit for one request, and every one is recorded once.
   */
  @Test
  void theRunsOfThousandsOfJobsDueTogetherAreAllRecorded() {
    JobStore s = store();
    List<Run> due = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String name = String.format("%04d-", i) + "n".repeat(190);
      s.putJob(job(name));
      due.add(run(name, 1));
    }
    long bytes = due.stream().mapToLong(r -> r.toString().length() + 2L * r.job().length()).sum();
    assertTrue(bytes > 1_500_000, "the batch is " + bytes + " bytes");
    assertEquals(3000, s.createRuns(due).size());
    assertEquals(List.of(), s.createRuns(due), "recorded once");
    assertEquals(1, s.runs(due.get(2999).job()).size());
  }

  @Test
  void runsAreUpdatedAndDeleted() {
    JobStore s = store();
    Run r = run("a", 1);
    s.createRuns(List.of(r));
    s.putRun(r.ended(RunState.SUCCEEDED, T.toEpochMilli() + 5, 0, null));
    assertEquals(RunState.SUCCEEDED, s.runs("a").get(0).state());
    s.deleteRun(r);
    assertTrue(s.runs("a").isEmpty());
  }

  @Test
  void jobsStatusesAndTheFrameworkIdRoundTrip() {
    JobStore s = store();
    s.putJob(job("nightly report"));
    s.putStatus("nightly report", JobStatus.fresh(7).withNextSlot(60_000L).succeeded(9));
    assertEquals(List.of("nightly report"), List.copyOf(s.jobs().keySet()));
    assertEquals("R//PT1M", s.jobs().get("nightly report").schedule());
    JobStatus st = s.status("nightly report").orElseThrow();
    assertEquals(1, st.successCount());
    assertEquals(60_000L, st.nextSlot());
    assertTrue(s.frameworkId().isEmpty());
    s.putFrameworkId("fw-1");
    s.putFrameworkId("fw-2");
    assertEquals("fw-2", s.frameworkId().orElseThrow());
  }

  @Test
  void deletingAJobDeletesItsStatusAndRuns() {
    JobStore s = store();
    s.putJob(job("a"));
    s.putStatus("a", JobStatus.fresh(1));
    s.createRuns(List.of(run("a", 1)));
    s.deleteJob("a");
    assertTrue(s.jobs().isEmpty());
    assertTrue(s.status("a").isEmpty());
    assertTrue(s.runs("a").isEmpty());
    assertEquals(1, s.createRuns(List.of(run("a", 1))).size(), "a new job of the same name starts afresh");
  }
}
