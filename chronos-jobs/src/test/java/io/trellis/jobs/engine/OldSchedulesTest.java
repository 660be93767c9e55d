package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.store.MemoryJobStore;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Schedules that started months before the engine saw them: the missed slot that runs is the
 * latest one, whatever the number of slots in between, and the next slot follows it.
 */
class OldSchedulesTest {
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:30Z");
  private final SimulatedTime time = new SimulatedTime(NOW);
  private final MemoryJobStore store = new MemoryJobStore();
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final JobEngine engine = new JobEngine(time, time, store, launcher, EngineConfig.defaults());

  private List<Instant> due() {
    return launcher.launched.stream().map(Launch::due).toList();
  }

  /** Epsilon is 60 s: at 12:00:30 the slot of 11:59 is the last missed one, 12:00 is still on time. */
  private void assertLatestMissedSlotRunsOnce(String name, long everyMinuteSinceJanuary) {
    time.runDue();
    assertEquals(List.of(Instant.parse("2026-06-01T11:59:00Z"), Instant.parse("2026-06-01T12:00:00Z")), due());
    assertEquals(everyMinuteSinceJanuary, engine.status(name).skipped());
    Run skipped = store.runs(name).get(0);
    assertEquals(RunState.SKIPPED, skipped.state());
    assertEquals(Instant.parse("2026-06-01T11:58:00Z").toEpochMilli(), skipped.slot());
    time.advance(Duration.ofMinutes(1));
    assertEquals(Instant.parse("2026-06-01T12:01:00Z"), due().get(due().size() - 1), "the next slot follows");
  }

  /** Minutes from 2026-01-01T00:00 to 2026-06-01T11:58 inclusive: the slots skipped under RUN_ONCE. */
  private static long minutesSkipped() {
    return Duration.between(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-06-01T11:59:00Z")).toMinutes();
  }

  /** A leader created the job on 2026-01-01 and stopped at once. */
  private void storedInJanuary(io.trellis.jobs.job.Job job) {
    SimulatedTime january = new SimulatedTime(Instant.parse("2026-01-01T00:00:00Z"));
    JobEngine first = new JobEngine(january, january, store, launcher, EngineConfig.defaults());
    first.start();
    first.put(job, false);
    first.stop();
    launcher.launched.clear();
  }

  @Test
  void anEveryMinuteIntervalJobFromJanuaryRunsTheMinuteJustMissedInJune() {
    engine.start();
    engine.put(Jobs.scheduled("minutely", "R/2026-01-01T00:00:00Z/PT1M", null, "ALLOW", "RUN_ONCE"), false);
    assertLatestMissedSlotRunsOnce("minutely", minutesSkipped());
  }

  @Test
  void anEveryMinuteJobStoredInJanuaryRunsTheMinuteJustMissedWhenALeaderStartsInJune() {
    storedInJanuary(Jobs.scheduled("cron", "cron: * * * * *", null, "ALLOW", "RUN_ONCE"));
    engine.start();
    // The January leader stopped before its first slot, 2026-01-01T00:00: that one is missed too.
    assertLatestMissedSlotRunsOnce("cron", minutesSkipped());
  }

  @Test
  void catchUpRunsTheLatestSlotsOfAnOldCronSchedule() {
    storedInJanuary(Jobs.scheduled("weekdays", "cron: 30 9 * * 1-5", null, "ALLOW", "CATCH_UP"));
    engine.start();
    time.runDue();
    // 2026-06-01 is a Monday: the three latest weekday slots are Thu 28 and Fri 29 May and this morning.
    assertEquals(List.of(Instant.parse("2026-05-28T09:30:00Z"), Instant.parse("2026-05-29T09:30:00Z"),
        Instant.parse("2026-06-01T09:30:00Z")), due());
    assertEquals(Instant.parse("2026-06-02T09:30:00Z"), engine.nextSlot("weekdays").orElseThrow());
  }
}
