package io.trellis.core.time;

import java.time.Duration;

/**
 * Runs a task after a delay. Implementations decide the thread: an event loop runs tasks on its
 * own thread, a simulated timer runs them when a test advances its clock.
 */
public interface Timer {
  /** Schedules {@code task} to run once after {@code delay}; the handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled before it runs. */
  interface Cancellable {
    void cancel();
  }
}
