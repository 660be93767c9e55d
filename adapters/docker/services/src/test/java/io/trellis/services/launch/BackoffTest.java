package io.trellis.services.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppReader;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Launch delays grow by the factor, stop at the maximum, and start over after a quiet spell. */
class BackoffTest {
  final AppDefinition app = AppReader.read("""
      {"id": "/b", "cmd": "x", "backoffSeconds": 2, "backoffFactor": 2, "maxLaunchDelaySeconds": 10}""").app();

  @Test
  void delaysGrowByTheFactorUpToTheMaximum() {
    assertEquals(Duration.ZERO, Backoff.delay(app, 0));
    assertEquals(Duration.ofSeconds(2), Backoff.delay(app, 1));
    assertEquals(Duration.ofSeconds(4), Backoff.delay(app, 2));
    assertEquals(Duration.ofSeconds(8), Backoff.delay(app, 3));
    assertEquals(Duration.ofSeconds(10), Backoff.delay(app, 4));
  }

  @Test
  void aFailureDelaysTheNextLaunch() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Backoff b = Backoff.NONE.failed(app, t0).failed(app, t0.plusSeconds(1));
    assertTrue(b.waiting(t0.plusSeconds(4)));
    assertFalse(b.waiting(t0.plusSeconds(5)));
    assertEquals(2, b.failures());
    Backoff later = b.failed(app, t0.plusSeconds(60));
    assertEquals(1, later.failures(), "a quiet spell longer than the maximum delay starts over");
  }
}
