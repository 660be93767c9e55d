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

  /**
   * The first fire time of a new job: the start of a repeating interval (which may be in the
   * past), or the first cron time at or after {@code now}.
   */
  Optional<Instant> first(Instant now);

  /** The schedule in the text form it was given, with a resolved start where it had none. */
  String text();
}
