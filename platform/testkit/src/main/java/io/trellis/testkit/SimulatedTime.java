package io.trellis.testkit;

import io.trellis.core.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/**
 * A paused clock and a timer driven by it: nothing happens until a test calls {@link #advance},
 * which moves time forward and runs, in time order on the caller's thread, every task that falls
 * due. Tasks scheduled by running tasks are honoured in the same call when they fall due.
 */
public final class SimulatedTime implements InstantSource, Timer {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private Instant now;
  private long sequence;

  public SimulatedTime() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public SimulatedTime(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    Task t = new Task(now.plus(delay), sequence++, task);
    tasks.add(t);
    return () -> t.cancelled = true;
  }

  /** Moves time forward by {@code step}, running what falls due. */
  public void advance(Duration step) {
    Instant target = now.plus(step);
    while (!tasks.isEmpty() && !tasks.peek().due.isAfter(target)) {
      Task t = tasks.poll();
      if (t.cancelled) {
        continue;
      }
      if (t.due.isAfter(now)) {
        now = t.due;
      }
      t.task.run();
    }
    now = target;
  }

  /** Runs everything already due without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** The number of tasks scheduled and not yet run or cancelled. */
  public int pending() {
    int n = 0;
    for (Task t : tasks) {
      if (!t.cancelled) {
        n++;
      }
    }
    return n;
  }

  private static final class Task implements Comparable<Task> {
    final Instant due;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(Instant due, long seq, Runnable task) {
      this.due = due;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      int c = due.compareTo(o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
