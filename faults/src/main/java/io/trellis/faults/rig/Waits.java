package io.trellis.faults.rig;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polling until a condition holds, with a deadline that names what was awaited. */
public final class Waits {
  private Waits() {}

  /**
   * Polls {@code condition} every 200 ms until it is true; returns how long that took. Exceptions
   * of the condition count as false until the deadline, when the last one is the cause.
   */
  public static Duration until(String what, Duration timeout, Callable<Boolean> condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (IllegalStateException e) {
        if (e.getMessage() != null && e.getMessage().contains("exited before")) {
          throw e;
        }
        last = e;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new TimedOut("timed out after " + timeout.toSeconds() + " s waiting for " + what
            + (last == null ? "" : " (last: " + last.getMessage() + ")"), last);
      }
      sleep(Duration.ofMillis(200));
    }
  }

  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A wait that reached its deadline. */
  public static final class TimedOut extends IllegalStateException {
    TimedOut(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
