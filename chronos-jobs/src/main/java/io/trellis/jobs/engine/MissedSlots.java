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
 * <p>The slots are found from the cutoff backward, never by walking forward from the first missed
 * one: a schedule missed for months costs as much as one missed for a minute.
 *
 * @param run the missed slots to run now, oldest first
 * @param skipped how many missed slots are not run (counted up to {@link #MAX_COUNTED})
 * @param lastSkipped the most recent skipped slot, if any
 * @param next the first slot not missed (at or after now minus epsilon), if the schedule has one
 */
record MissedSlots(List<Instant> run, long skipped, Instant lastSkipped, Optional<Instant> next) {
  /**
   * Schedules that cannot count their slots by arithmetic (cron) count this many at most (half a
   * year of minutes), so that counting never holds up the engine for long.
   */
  static final long MAX_COUNTED = 250_000;

  static MissedSlots plan(Schedule schedule, Instant from, Instant cutoff, MissedRunPolicy policy, int catchUpLimit) {
    if (from == null || !from.isBefore(cutoff)) {
      return new MissedSlots(List.of(), 0, null, Optional.ofNullable(from));
    }
    int keep = switch (policy) {
      case SKIP -> 0;
      case RUN_ONCE -> 1;
      case CATCH_UP -> catchUpLimit;
    };
    Deque<Instant> kept = new ArrayDeque<>();
    Optional<Instant> slot = schedule.previous(cutoff);
    while (kept.size() < keep && slot.isPresent() && !slot.get().isBefore(from)) {
      kept.addFirst(slot.get());
      slot = schedule.previous(slot.get());
    }
    Instant lastSkipped = slot.filter(s -> !s.isBefore(from)).orElse(null);
    long skipped = lastSkipped == null ? 0 : schedule.count(from, lastSkipped.plusNanos(1), MAX_COUNTED);
    return new MissedSlots(List.copyOf(kept), skipped, lastSkipped, schedule.nextAtOrAfter(cutoff));
  }
}
