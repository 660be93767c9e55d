package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.run.Trigger;
import io.trellis.jobs.schedule.Schedules;
import io.trellis.jobs.store.JobStore;
import io.trellis.jobs.store.MemoryJobStore;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Slots become run records a second ahead, in batches, and are handed over at their instant. */
class SlotRecorderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final SimulatedTime time = new SimulatedTime(T0);
  private final MemoryJobStore memory = new MemoryJobStore();
  private final List<Integer> batches = new ArrayList<>();
  private final JobStore store = new CountingStore(memory, batches);
  private final Map<String, JobEntry> entries = new HashMap<>();
  /** What was handed over, as "job@ms-after-T0 at ms-after-T0". */
  private final List<String> handed = new ArrayList<>();
  private final SlotRecorder recorder = new SlotRecorder(time, time, store, entries::get, runs -> {
    for (Run r : runs) {
      handed.add(r.job() + "@" + (r.slot() - T0.toEpochMilli()) + " at " + (time.millis() - T0.toEpochMilli()));
    }
  });

  private JobEntry scheduled(String name, String schedule) {
    Job job = Jobs.scheduled(name, schedule);
    JobEntry e = new JobEntry(job, Schedules.parse(schedule, null, T0), JobStatus.fresh(T0.toEpochMilli()));
    e.status = e.status.withNextSlot(e.schedule.first(T0).map(Instant::toEpochMilli).orElse(null));
    entries.put(name, e);
    recorder.schedule(e);
    return e;
  }

  @Test
  void aSlotIsRecordedASecondAheadAndHandedOverAtItsInstant() {
    scheduled("once", "R1/2026-01-01T00:00:10Z/PT1H");
    recorder.arm();
    assertEquals(Optional.of(T0.plusSeconds(10)), recorder.nextDue());

    time.advance(Duration.ofMillis(8_999));
    assertTrue(memory.runs("once").isEmpty(), "not recorded before a second ahead");
    time.advance(Duration.ofMillis(1));
    Run recorded = memory.runs("once").get(0);
    assertEquals(RunState.PENDING, recorded.state());
    assertEquals(T0.plusSeconds(10).toEpochMilli(), recorded.slot());
    assertEquals(List.of(), handed, "recorded, not yet handed over");

    time.advance(Duration.ofMillis(1_000));
    assertEquals(List.of("once@10000 at 10000"), handed);
    assertEquals(Optional.empty(), recorder.nextDue(), "the schedule is done");
    assertEquals(null, memory.status("once").orElseThrow().nextSlot());
  }

  @Test
  void slotsCloseTogetherAreRecordedInOneBatch() {
    scheduled("a", "R1/2026-01-01T00:00:10Z/PT1H");
    scheduled("b", "R1/2026-01-01T00:00:10.200Z/PT1H");
    scheduled("c", "R1/2026-01-01T00:00:10.500Z/PT1H");
    scheduled("d", "R1/2026-01-01T00:00:12Z/PT1H");
    recorder.arm();
    time.advance(Duration.ofSeconds(13));
    assertEquals(List.of(3, 1), batches, "a, b and c in one round trip to the store; d in its own");
    assertEquals(List.of("a@10000 at 10000", "b@10200 at 10200", "c@10500 at 10500", "d@12000 at 12000"), handed);
  }

  @Test
  void aRepeatingJobMovesOnToItsNextSlot() {
    JobEntry e = scheduled("every-minute", "R3/2026-01-01T00:00:10Z/PT1M");
    recorder.arm();
    time.advance(Duration.ofSeconds(10));
    assertEquals(T0.plusSeconds(70).toEpochMilli(), e.status.nextSlot());
    assertEquals(Optional.of(T0.plusSeconds(70)), recorder.nextDue());
    time.advance(Duration.ofMinutes(3));
    assertEquals(List.of("every-minute@10000 at 10000", "every-minute@70000 at 70000",
        "every-minute@130000 at 130000"), handed);
  }

  @Test
  void anUnscheduledJobIsNotRecorded() {
    JobEntry e = scheduled("gone", "R1/2026-01-01T00:00:10Z/PT1H");
    recorder.arm();
    recorder.unschedule(e);
    time.advance(Duration.ofSeconds(20));
    assertTrue(memory.runs("gone").isEmpty());
    assertEquals(List.of(), handed);
  }

  @Test
  void aSlotRecordedBeforeIsNotHandedOverAgain() {
    scheduled("once", "R1/2026-01-01T00:00:10Z/PT1H");
    memory.createRuns(List.of(Run.create("once", T0.plusSeconds(10), Trigger.SCHEDULE, T0, List.of())));
    recorder.arm();
    time.advance(Duration.ofSeconds(20));
    assertEquals(List.of(), handed, "the last leader recorded it: it launched or relaunches it, not this one");
  }

  /** Counts the runs of each createRuns call. */
  private record CountingStore(MemoryJobStore store, List<Integer> batches) implements JobStore {
    @Override
    public Map<String, Job> jobs() {
      return store.jobs();
    }

    @Override
    public void putJob(Job job) {
      store.putJob(job);
    }

    @Override
    public void deleteJob(String name) {
      store.deleteJob(name);
    }

    @Override
    public Optional<JobStatus> status(String name) {
      return store.status(name);
    }

    @Override
    public void putStatus(String name, JobStatus status) {
      store.putStatus(name, status);
    }

    @Override
    public List<Run> createRuns(List<Run> runs) {
      batches.add(runs.size());
      return store.createRuns(runs);
    }

    @Override
    public void putRun(Run run) {
      store.putRun(run);
    }

    @Override
    public void deleteRun(Run run) {
      store.deleteRun(run);
    }

    @Override
    public List<Run> runs(String job) {
      return store.runs(job);
    }

    @Override
    public Optional<String> frameworkId() {
      return store.frameworkId();
    }

    @Override
    public void putFrameworkId(String id) {
      store.putFrameworkId(id);
    }
  }
}
