package io.trellis.jobs.engine;

import io.trellis.core.time.Timer;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.Trigger;
import io.trellis.jobs.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the slots of scheduled jobs into run records ahead of time, then hands each slot's runs
 * to the engine when the slot comes. Slots due close together are recorded in one batch (one
 * store round trip), {@link #RECORD_AHEAD} before the first of them, so that at the slot only the
 * launch is left to do. Called on the engine's thread only; its timer runs tasks there.
 */
final class SlotRecorder {
  private static final Logger log = LoggerFactory.getLogger(SlotRecorder.class);
  /** The first slot of a batch is recorded this long before it is due. */
  static final Duration RECORD_AHEAD = Duration.ofSeconds(1);
  /** Slots due within this long after the first of a batch are recorded with it. */
  static final Duration BATCH = Duration.ofMillis(500);

  private final InstantSource clock;
  private final Timer timer;
  private final JobStore store;
  private final Function<String, JobEntry> entries;
  private final Consumer<List<Run>> atSlot;
  /** Slot instant (epoch ms) to the jobs due then. */
  private final NavigableMap<Long, Set<String>> due = new TreeMap<>();
  /** Runs recorded ahead of their slot, by slot (epoch ms), handed over when it comes. */
  private final NavigableMap<Long, List<Run>> recorded = new TreeMap<>();
  private Timer.Cancellable armed;
  private long armedFor = Long.MAX_VALUE;
  /** The next slot any job waits for (epoch ms), readable from other threads. */
  private volatile long nextDue = Long.MAX_VALUE;

  /**
   * @param entries looks a job up by name (null once deleted)
   * @param atSlot receives the recorded runs of a slot when it comes
   */
  SlotRecorder(InstantSource clock, Timer timer, JobStore store, Function<String, JobEntry> entries,
      Consumer<List<Run>> atSlot) {
    this.clock = clock;
    this.timer = timer;
    this.store = store;
    this.entries = entries;
    this.atSlot = atSlot;
  }

  /** Waits for the job's next slot, if its status names one. Call {@link #arm()} after. */
  void schedule(JobEntry e) {
    Long slot = e.status.nextSlot();
    if (slot != null) {
      due.computeIfAbsent(slot, k -> new TreeSet<>()).add(e.name());
    }
  }

  /** Stops waiting for the job's next slot. */
  void unschedule(JobEntry e) {
    Long slot = e.status.nextSlot();
    if (slot == null) {
      return;
    }
    Set<String> names = due.get(slot);
    if (names != null) {
      names.remove(e.name());
      if (names.isEmpty()) {
        due.remove(slot);
      }
    }
  }

  /** Sets the timer for the next batch, if a slot is due. */
  void arm() {
    nextDue = due.isEmpty() ? Long.MAX_VALUE : due.firstKey();
    if (due.isEmpty()) {
      return;
    }
    long first = due.firstKey();
    if (armed != null && armedFor == first) {
      return;
    }
    if (armed != null) {
      armed.cancel();
    }
    armedFor = first;
    armed = timer.schedule(Duration.between(clock.instant(), Instant.ofEpochMilli(first).minus(RECORD_AHEAD)),
        this::fireDue);
  }

  /**
   * Records, in one batch, every slot due within {@link #RECORD_AHEAD} plus {@link #BATCH}, moves
   * each job on to its next slot, and leaves the launches to a timer at each slot.
   */
  void fireDue() {
    armed = null;
    armedFor = Long.MAX_VALUE;
    Instant now = clock.instant();
    long horizon = now.plus(RECORD_AHEAD).plus(BATCH).toEpochMilli();
    List<Run> runs = new ArrayList<>();
    List<JobEntry> touched = new ArrayList<>();
    while (!due.isEmpty() && due.firstKey() <= horizon) {
      Map.Entry<Long, Set<String>> slot = due.pollFirstEntry();
      for (String name : slot.getValue()) {
        JobEntry e = entries.apply(name);
        if (e == null || e.status.nextSlot() == null || e.status.nextSlot() != slot.getKey().longValue()) {
          continue;
        }
        Instant at = Instant.ofEpochMilli(slot.getKey());
        runs.add(Run.create(name, at, Trigger.SCHEDULE, now, List.of()));
        Optional<Instant> next = e.schedule.next(at).filter(n -> n.toEpochMilli() > slot.getKey());
        e.status = e.status.withNextSlot(next.map(Instant::toEpochMilli).orElse(null));
        next.ifPresentOrElse(n -> due.computeIfAbsent(n.toEpochMilli(), k -> new TreeSet<>()).add(name),
            () -> log.debug("job {}: schedule done after the slot {}", name, at));
        touched.add(e);
      }
    }
    if (!runs.isEmpty()) {
      List<Run> created = store.createRuns(runs);
      if (created.size() < runs.size()) {
        log.info("{} slots were already recorded: not launched again", runs.size() - created.size());
      }
      log.debug("recorded {} runs due up to {}", created.size(), Instant.ofEpochMilli(horizon));
      for (Run r : created) {
        await(r);
      }
      io.trellis.core.CrashPoints.reached("jobs.slot-recorded");
    }
    for (JobEntry e : touched) {
      store.putStatus(e.name(), e.status);
    }
    arm();
  }

  /** Keeps a recorded run until its slot, then hands it over with the others of that slot. */
  void await(Run r) {
    List<Run> atThisSlot = recorded.get(r.slot());
    if (atThisSlot == null) {
      atThisSlot = new ArrayList<>();
      recorded.put(r.slot(), atThisSlot);
      long slot = r.slot();
      timer.schedule(Duration.between(clock.instant(), Instant.ofEpochMilli(slot)), () -> slotCame(slot));
    }
    atThisSlot.add(r);
  }

  private void slotCame(long slot) {
    List<Run> runs = recorded.remove(slot);
    if (runs != null) {
      atSlot.accept(runs);
    }
  }

  /** The next instant a job is due, if any; safe to call from any thread. */
  Optional<Instant> nextDue() {
    long n = nextDue;
    return n == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(n));
  }

  /** Drops every slot and timer; the store keeps the records. */
  void clear() {
    nextDue = Long.MAX_VALUE;
    if (armed != null) {
      armed.cancel();
      armed = null;
    }
    armedFor = Long.MAX_VALUE;
    due.clear();
    recorded.clear();
  }
}
