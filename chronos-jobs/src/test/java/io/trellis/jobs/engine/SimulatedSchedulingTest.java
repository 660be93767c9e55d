package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.store.MemoryJobStore;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduling loop on a simulated clock: fire times, repeat counts, daylight saving. */
class SimulatedSchedulingTest {
  private final SimulatedTime time = new SimulatedTime(Instant.parse("2026-01-01T00:00:00Z"));
  private final MemoryJobStore store = new MemoryJobStore();
  private final RecordingLauncher launcher = new RecordingLauncher();
  private final JobEngine engine = new JobEngine(time, time, store, launcher, EngineConfig.defaults());

  /** Moves time minute by minute, finishing every launched task at once. */
  private void run(Duration total, Duration step) {
    for (Duration d = Duration.ZERO; d.compareTo(total) < 0; d = d.plus(step)) {
      time.advance(step);
      launcher.endAll(engine, TaskState.FINISHED, 0);
    }
  }

  private List<Instant> launchTimes() {
    return launcher.launched.stream().map(Launch::due).toList();
  }

  @Test
  void aJobEveryMinuteFiresOncePerMinuteForAnHour() {
    engine.start();
    engine.put(Jobs.scheduled("minutely", "R/2026-01-01T00:01:00Z/PT1M"), false);
    run(Duration.ofHours(1), Duration.ofSeconds(20));
    List<Instant> fired = launchTimes();
    assertEquals(60, fired.size(), "fired: " + fired);
    for (int i = 0; i < fired.size(); i++) {
      assertEquals(Instant.parse("2026-01-01T00:01:00Z").plus(Duration.ofMinutes(i)), fired.get(i));
    }
    assertEquals(60, engine.status("minutely").successCount());
    assertEquals(60, engine.history("minutely").stream().filter(r -> r.state() == RunState.SUCCEEDED).count());
    assertEquals(60, launcher.launched.stream().map(l -> l.task().taskId()).distinct().count());
  }

  @Test
  void anR3JobFiresExactlyThreeTimesAndIsDone() {
    engine.start();
    engine.put(Jobs.scheduled("three", "R3/2026-01-01T00:10:00Z/PT10M"), false);
    run(Duration.ofHours(3), Duration.ofMinutes(1));
    assertEquals(List.of(Instant.parse("2026-01-01T00:10:00Z"), Instant.parse("2026-01-01T00:20:00Z"),
        Instant.parse("2026-01-01T00:30:00Z")), launchTimes());
    assertTrue(engine.nextSlot("three").isEmpty());
    assertEquals(0, time.pending(), "no timer left armed");
  }

  @Test
  void anEmptyStartMeansNowAndIsStoredResolved() {
    time.advance(Duration.ofSeconds(30));
    engine.start();
    engine.put(Jobs.scheduled("now", "R2//PT5S"), false);
    assertEquals("R2/2026-01-01T00:00:30Z/PT5S", engine.job("now").schedule());
    run(Duration.ofSeconds(30), Duration.ofSeconds(1));
    assertEquals(List.of(Instant.parse("2026-01-01T00:00:30Z"), Instant.parse("2026-01-01T00:00:35Z")), launchTimes());
  }

  @Test
  void aDailyCronJobCrossesTheSpringChangeInBerlinOnceADay() {
    SimulatedTime spring = new SimulatedTime(Instant.parse("2026-03-27T00:00:00Z"));
    RecordingLauncher l = new RecordingLauncher();
    JobEngine e = new JobEngine(spring, spring, new MemoryJobStore(), l, EngineConfig.defaults());
    e.start();
    e.put(Jobs.scheduled("nightly", "cron: 30 2 * * *", "Europe/Berlin", null, null), false);
    for (int i = 0; i < 4 * 24 * 4; i++) {
      spring.advance(Duration.ofMinutes(15));
      l.endAll(e, TaskState.FINISHED, 0);
    }
    List<Instant> fired = l.launched.stream().map(Launch::due).toList();
    // 02:30 CET on the 27th and 28th; 02:30 does not exist on the 29th: it runs at 03:30 CEST.
    assertEquals(List.of(Instant.parse("2026-03-27T01:30:00Z"), Instant.parse("2026-03-28T01:30:00Z"),
        Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z")), fired);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    assertEquals("03:30", ZonedDateTime.ofInstant(fired.get(2), berlin).toLocalTime().toString());
  }

  @Test
  void aDailyCronJobCrossesTheAutumnChangeInBerlinOnceADay() {
    SimulatedTime autumn = new SimulatedTime(Instant.parse("2026-10-23T00:00:00Z"));
    RecordingLauncher l = new RecordingLauncher();
    JobEngine e = new JobEngine(autumn, autumn, new MemoryJobStore(), l, EngineConfig.defaults());
    e.start();
    e.put(Jobs.scheduled("nightly", "cron: 30 2 * * *", "Europe/Berlin", null, null), false);
    for (int i = 0; i < 4 * 24 * 4; i++) {
      autumn.advance(Duration.ofMinutes(15));
      l.endAll(e, TaskState.FINISHED, 0);
    }
    // 02:30 happens twice on the 25th (CEST, then CET): the job runs at the first only.
    assertEquals(List.of(Instant.parse("2026-10-23T00:30:00Z"), Instant.parse("2026-10-24T00:30:00Z"),
        Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z")),
        l.launched.stream().map(Launch::due).toList());
  }

  @Test
  void anHourlyCronJobRunsOnceForEachWallClockHourAcrossBothChanges() {
    for (String day : new String[] {"2026-03-29", "2026-10-25"}) {
      ZoneId berlin = ZoneId.of("Europe/Berlin");
      Instant startOfDay = java.time.LocalDate.parse(day).atStartOfDay(berlin).toInstant();
      SimulatedTime t = new SimulatedTime(startOfDay.minusSeconds(1));
      RecordingLauncher l = new RecordingLauncher();
      JobEngine e = new JobEngine(t, t, new MemoryJobStore(), l, EngineConfig.defaults());
      e.start();
      e.put(Jobs.scheduled("hourly", "cron: 0 * * * *", "Europe/Berlin", null, null), false);
      Instant endOfDay = java.time.LocalDate.parse(day).plusDays(1).atStartOfDay(berlin).toInstant();
      while (t.instant().isBefore(endOfDay.minusSeconds(1))) {
        t.advance(Duration.ofMinutes(10));
        l.endAll(e, TaskState.FINISHED, 0);
      }
      List<Instant> fired = l.launched.stream().map(Launch::due).toList();
      List<Integer> hours = fired.stream().map(i -> ZonedDateTime.ofInstant(i, berlin).getHour()).toList();
      // Spring: 02:00 does not exist (its slot runs at 03:00 and 03:00 itself once); autumn: 02:00 once.
      assertEquals(fired.stream().distinct().count(), fired.size(), day + ": no slot twice " + fired);
      assertEquals(hours.stream().distinct().count(), hours.size(), day + ": no wall-clock hour twice " + hours);
      assertEquals(day.startsWith("2026-03") ? 23 : 24, fired.size(), day + ": " + hours);
    }
  }

  @Test
  void aStartTakenFromAClockFinerThanMillisecondsFiresOncePerSlot() {
    SimulatedTime fine = new SimulatedTime(Instant.parse("2026-01-01T00:00:00.123456789Z"));
    RecordingLauncher l = new RecordingLauncher();
    JobEngine e = new JobEngine(fine, fine, new MemoryJobStore(), l, EngineConfig.defaults());
    e.start();
    e.put(Jobs.scheduled("fine", "R//PT2S"), false);
    for (int i = 0; i < 5; i++) {
      fine.advance(Duration.ofSeconds(1));
      l.endAll(e, TaskState.FINISHED, 0);
    }
    assertEquals(List.of(Instant.parse("2026-01-01T00:00:00.123Z"), Instant.parse("2026-01-01T00:00:02.123Z"),
        Instant.parse("2026-01-01T00:00:04.123Z")), l.launched.stream().map(Launch::due).toList());
  }

  @Test
  void aSixFieldCronExpressionFiresEverySecondsStep() {
    engine.start();
    engine.put(Jobs.scheduled("fast", "cron: */5 * * * * *"), false);
    run(Duration.ofSeconds(30), Duration.ofSeconds(1));
    // A cron job created at 00:00:00 has its first slot then, and one every five seconds after.
    assertEquals(7, launcher.launched.size(), "fired: " + launchTimes());
    assertEquals(Instant.parse("2026-01-01T00:00:30Z"), launchTimes().get(6));
  }

  @Test
  void runsOfOneSlotShareTheirIdentityAndRecordsComeFirst() {
    engine.start();
    engine.put(Jobs.scheduled("ids", "R/2026-01-01T00:01:00Z/PT1M"), false);
    time.advance(Duration.ofMinutes(1));
    Launch l = launcher.launched.get(0);
    assertEquals("job.ids." + Instant.parse("2026-01-01T00:01:00Z").toEpochMilli() + "s.1", l.task().taskId());
    Run recorded = store.runs("ids").get(0);
    assertEquals(l.task().taskId(), recorded.taskId());
    assertEquals(RunState.PENDING, recorded.state());
  }
}
