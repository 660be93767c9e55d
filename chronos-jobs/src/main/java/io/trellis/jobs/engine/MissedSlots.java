package io.trellis.jobs.engine;

import io.trellis.jobs.job.MissedRunPolicy;
import io.trellis.jobs.schedule.Schedule;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Decides what happens to the slots of a schedule that passed by more than epsilon while nobody
 * scheduled them: which run now under the missed-run policy, how many are skipped, and the next
 * slot to wait for.
 *
 * @param run the missed slots to run now, oldest first
 * @param skipped how many missed slots are not run
 * @param lastSkipped the most recent skipped slot, if any
 * @param next the first slot not missed (at or after now minus epsilon), if the schedule has one
 */
record MissedSlots(List<Instant> run, long skipped, Instant lastSkipped, Optional<Instant> next) {
  /** Beyond this many missed slots the rest are skipped without being enumerated. */
  static final int MAX_ENUMERATED = 100_000;

  static MissedSlots plan(Schedule schedule, Instant from, Instant cutoff, MissedRunPolicy policy, int catchUpLimit) {
    int keep = switch (policy) {
      case SKIP -> 0;
      case RUN_ONCE -> 1;
      case CATCH_UP -> catchUpLimit;
    };
    Deque<Instant> kept = new ArrayDeque<>();
    long missed = 0;
    Instant lastSkipped = null;
    Optional<Instant> slot = Optional.ofNullable(from);
    while (slot.isPresent() && slot.get().isBefore(cutoff)) {
      missed++;
      kept.addLast(slot.get());
      if (kept.size() > keep) {
        lastSkipped = kept.removeFirst();
      }
      if (missed >= MAX_ENUMERATED) {
        // Too many to walk through: skip the rest without counting them one by one.
        slot = schedule.nextAtOrAfter(cutoff);
        break;
      }
      slot = schedule.next(slot.get());
    }
    return new MissedSlots(List.copyOf(kept), missed - kept.size(), lastSkipped, slot);
  }
}
