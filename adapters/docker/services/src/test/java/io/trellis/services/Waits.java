package io.trellis.services;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a deadline; the failure names what was awaited. */
final class Waits {
  private Waits() {}

  static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
        + (last == null ? "" : " (last error: " + last + ")"));
  }
}
