package io.trellis.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.HealthCheckSpec;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Grace, consecutive failures and transitions, with simulated time. */
class TaskHealthTest {
  private final SimulatedTime time = new SimulatedTime();

  private static HealthCheckSpec check(double grace, int maxFailures) {
    return new HealthCheckSpec("HTTP", 31000, "/health", null, grace, 10, 5, maxFailures, 0);
  }

  private TaskHealth health(Boolean reported, HealthCheckSpec... specs) {
    List<String> names = java.util.stream.IntStream.range(0, specs.length).mapToObj(i -> "check" + i).toList();
    return new TaskHealth(List.of(specs), names, time.instant(), time, reported);
  }

  private static final ProbeResult OK = ProbeResult.pass("returned 200");
  private static final ProbeResult BAD = ProbeResult.fail("returned 500");

  @Test
  void aPassMakesTheTaskHealthyOnce() {
    TaskHealth h = health(null, check(60, 3));
    Optional<TaskHealth.Change> first = h.record(0, OK);
    assertEquals(Optional.of(new TaskHealth.Change(true, "check0 returned 200")), first);
    assertEquals(Optional.empty(), h.record(0, OK), "a second pass changes nothing");
  }

  @Test
  void failuresInTheGracePeriodDoNotCountBeforeAPass() {
    TaskHealth h = health(null, check(60, 1));
    for (int i = 0; i < 5; i++) {
      assertEquals(Optional.empty(), h.record(0, BAD));
      time.advance(Duration.ofSeconds(10));
    }
    assertNull(h.reported());
    time.advance(Duration.ofSeconds(10));
    Optional<TaskHealth.Change> after = h.record(0, BAD);
    assertEquals(Optional.of(new TaskHealth.Change(false, "check0 returned 500 (1 consecutive failure)")), after);
  }

  @Test
  void theGracePeriodEndsExactlyAtItsLength() {
    TaskHealth h = health(null, check(30, 1));
    time.advance(Duration.ofSeconds(29));
    assertEquals(Optional.empty(), h.record(0, BAD));
    time.advance(Duration.ofSeconds(1));
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
  }

  @Test
  void failuresInTheGracePeriodCountOnceTheTaskHasPassed() {
    TaskHealth h = health(null, check(300, 2));
    assertTrue(h.record(0, OK).orElseThrow().healthy());
    assertEquals(Optional.empty(), h.record(0, BAD), "one failure of two allowed");
    TaskHealth.Change change = h.record(0, BAD).orElseThrow();
    assertFalse(change.healthy());
    assertEquals("check0 returned 500 (2 consecutive failures)", change.message());
  }

  @Test
  void onlyConsecutiveFailuresCount() {
    TaskHealth h = health(null, check(0, 3));
    h.record(0, OK);
    h.record(0, BAD);
    h.record(0, BAD);
    assertEquals(Optional.empty(), h.record(0, OK), "still healthy: two failures then a pass");
    h.record(0, BAD);
    h.record(0, BAD);
    assertFalse(h.record(0, BAD).orElseThrow().healthy(), "the third in a row");
    assertEquals(Optional.empty(), h.record(0, BAD), "already unhealthy: no new report");
  }

  @Test
  void aPassAfterUnhealthyMakesItHealthyAgain() {
    TaskHealth h = health(null, check(0, 1));
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
    assertTrue(h.record(0, OK).orElseThrow().healthy());
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
  }

  @Test
  void withoutGraceTheFirstFailuresCountAtOnce() {
    TaskHealth h = health(null, check(0, 2));
    assertEquals(Optional.empty(), h.record(0, BAD));
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
  }

  @Test
  void aMaximumBelowOneCountsAsOne() {
    TaskHealth h = health(null, check(0, 0));
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
  }

  @Test
  void severalChecksAreHealthyOnlyWhenAllAre() {
    TaskHealth h = health(null, check(0, 1), check(0, 1));
    assertEquals(Optional.empty(), h.record(0, OK), "the second check has no verdict yet");
    TaskHealth.Change healthy = h.record(1, OK).orElseThrow();
    assertEquals(new TaskHealth.Change(true, "all 2 health checks pass"), healthy);
    TaskHealth.Change sick = h.record(1, BAD).orElseThrow();
    assertEquals(new TaskHealth.Change(false, "check1 returned 500 (1 consecutive failure)"), sick);
    assertEquals(Optional.empty(), h.record(0, OK), "one failing check keeps the task unhealthy");
    assertTrue(h.record(1, OK).orElseThrow().healthy());
  }

  @Test
  void oneFailingCheckMakesTheTaskUnhealthyBeforeTheOthersAnswer() {
    TaskHealth h = health(null, check(0, 1), check(0, 1));
    TaskHealth.Change sick = h.record(1, ProbeResult.fail("timed out after 5 s")).orElseThrow();
    assertEquals("check1 timed out after 5 s (1 consecutive failure)", sick.message());
  }

  @Test
  void aRecoveredTaskReportsOnlyAChangeFromItsLastHealth() {
    TaskHealth h = health(true, check(0, 1));
    assertEquals(Optional.empty(), h.record(0, OK), "healthy was already reported before the restart");
    assertFalse(h.record(0, BAD).orElseThrow().healthy());
    TaskHealth sick = health(false, check(0, 1));
    assertEquals(Optional.empty(), sick.record(0, BAD));
    assertTrue(sick.record(0, OK).orElseThrow().healthy());
  }

  @Test
  void badDurationsAreRefusedWithTheirValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> health(null, check(-1, 1)));
    assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
  }
}
