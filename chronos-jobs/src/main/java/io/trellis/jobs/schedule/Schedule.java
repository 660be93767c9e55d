package io.trellis.jobs.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * When a job fires: a sequence of instants, computed on demand. Implementations are immutable.
 */
public interface Schedule {
  /** The first fire time strictly after {@code after}; empty once the schedule is exhausted. */
  Optional<Instant> next(Instant after);

  /** The first fire time at or after {@code at}. */
  default Optional<Instant> nextAtOrAfter(Instant at) {
    return next(at.minusNanos(1));
  }

  /** The last fire time strictly before {@code before}; empty if there is none. */
  Optional<Instant> previous(Instant before);

  /**
   * How many fire times fall in {@code [from, to)}, counting no further than {@code limit}: a
   * schedule that cannot count by arithmetic walks through them.
   */
  default long count(Instant from, Instant to, long limit) {
    long n = 0;
    Optional<Instant> slot = nextAtOrAfter(from);
    while (n < limit && slot.isPresent() && slot.get().isBefore(to)) {
      n++;
      slot = next(slot.get());
    }
    return n;
  }

  /**
   * The first fire time of a new job: the start of a repeating interval (which may be in the
   * past), or the first cron time at or after {@code now}.
   */
  Optional<Instant> first(Instant now);

  /** The schedule in the text form it was given, with a resolved start where it had none. */
  String text();
}
