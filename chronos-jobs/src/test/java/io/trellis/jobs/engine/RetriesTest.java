package io.trellis.jobs.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.run.Trigger;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Retries of failed runs on a simulated clock: backoff, its cap, the end of the retries. */
class RetriesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final SimulatedTime time = new SimulatedTime(T0);
  private final List<String> fired = new ArrayList<>();
  private final Retries retries = new Retries(time, time,
      new EngineConfig(Duration.ofSeconds(10), Duration.ofSeconds(25), 10),
      (job, key, attempt) -> fired.add(job + "/" + key + "#" + attempt));
  private final Run first = Run.create("nightly", T0, Trigger.SCHEDULE, T0, List.of());

  @Test
  void theBackoffDoublesForEachFailedAttemptUpToItsCap() {
    Run second = retries.after(first, 5, "FAILED", 3).orElseThrow();
    assertEquals(2, second.attempt());
    assertEquals(RunState.RETRYING, second.state());
    assertEquals(T0.plusSeconds(10).toEpochMilli(), second.retryAt());
    assertEquals("attempt 1 FAILED (exit 3)", second.message());

    time.advance(Duration.ofMillis(9_999));
    assertEquals(List.of(), fired, "not before the backoff is over");
    time.advance(Duration.ofMillis(1));
    assertEquals(List.of("nightly/" + first.key() + "#2"), fired);

    Run third = retries.after(second, 5, "LOST", null).orElseThrow();
    assertEquals(time.instant().plusSeconds(20).toEpochMilli(), third.retryAt(), "doubled");
    Run fourth = retries.after(third, 5, "LOST", null).orElseThrow();
    assertEquals(time.instant().plusSeconds(25).toEpochMilli(), fourth.retryAt(), "capped at 25 s");
  }

  @Test
  void aRunWhoseRetriesAreUsedUpGetsNoOtherAttempt() {
    Run second = retries.after(first, 1, "FAILED", 1).orElseThrow();
    time.advance(Duration.ofSeconds(10));
    assertEquals(Optional.empty(), retries.after(second, 1, "FAILED", 1));
    assertEquals(Optional.empty(), retries.after(first, 0, "FAILED", 1), "no retries at all");
    assertEquals(0, time.pending(), "no timer left");
  }

  @Test
  void aRetryFoundInTheStoreFiresAtItsTimeOrAtOnceIfPast() {
    Run waiting = first.nextAttempt(T0.plusSeconds(30).toEpochMilli(), "attempt 1 FAILED");
    Run late = first.nextAttempt(T0.minusSeconds(30).toEpochMilli(), "attempt 1 FAILED");
    retries.resume(waiting);
    retries.resume(late);
    time.runDue();
    assertEquals(List.of("nightly/" + first.key() + "#2"), fired, "the past one at once");
    time.advance(Duration.ofSeconds(30));
    assertEquals(2, fired.size());
    assertTrue(time.pending() == 0);
  }
}
