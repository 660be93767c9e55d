package io.trellis.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.trellis.api.HealthCheckSpec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks' scheduler with real probes: changes are reported, and stopping stops them. */
class HealthChecksTest {
  record Change(String key, boolean healthy, String message) {}

  @TempDir
  Path sandbox;

  private final BlockingQueue<Change> changes = new LinkedBlockingQueue<>();

  private Change next() throws InterruptedException {
    Change c = changes.poll(30, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no health change within 30 s");
    }
    return c;
  }

  @Test
  void anHttpCheckReportsHealthyThenUnhealthyThenHealthy() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    AtomicInteger probes = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", exchange -> {
      probes.incrementAndGet();
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try (HealthChecks checks = new HealthChecks(InstantSource.system(),
        (key, healthy, message) -> changes.add(new Change(key, healthy, message)))) {
      checks.start("fw/web", List.of(new HealthCheckSpec("HTTP", port, "/health", null, 0, 0.1, 5, 3, 0)),
          new HealthChecks.Target("127.0.0.1", sandbox, Map.of()), null);
      assertEquals(new Change("fw/web", true, "HTTP GET http://127.0.0.1:" + port + "/health returned 200"), next());
      status.set(500);
      assertEquals(new Change("fw/web", false,
          "HTTP GET http://127.0.0.1:" + port + "/health returned 500 (3 consecutive failures)"), next());
      status.set(204);
      assertTrue(next().healthy());
      checks.stop("fw/web");
      Thread.sleep(300);
      int after = probes.get();
      Thread.sleep(1000);
      assertEquals(after, probes.get(), "no probe after stop");
      assertTrue(changes.isEmpty(), "no change after stop: " + changes);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTaskWithSeveralChecksIsUnhealthyWhenOneFails() throws Exception {
    int closed = ProbeTest.closedPort();
    try (HealthChecks checks = new HealthChecks(InstantSource.system(),
        (key, healthy, message) -> changes.add(new Change(key, healthy, message)))) {
      checks.start("fw/two", List.of(
          new HealthCheckSpec("COMMAND", null, null, "true", 0, 0.1, 5, 1, 0),
          new HealthCheckSpec("TCP", closed, null, null, 0, 0.1, 5, 2, 0)),
          new HealthChecks.Target("127.0.0.1", sandbox, Map.of()), null);
      Change c = next();
      assertFalse(c.healthy());
      assertEquals("TCP connect to 127.0.0.1:" + closed + " failed: connection refused (2 consecutive failures)",
          c.message());
    }
  }

  @Test
  void anUnknownProtocolFailsSayingWhy() throws Exception {
    try (HealthChecks checks = new HealthChecks(InstantSource.system(),
        (key, healthy, message) -> changes.add(new Change(key, healthy, message)))) {
      checks.start("fw/odd", List.of(new HealthCheckSpec("GOPHER", 70, null, null, 0, 0.1, 5, 1, 0)),
          new HealthChecks.Target("127.0.0.1", sandbox, Map.of()), null);
      Change c = next();
      assertFalse(c.healthy());
      assertTrue(c.message().contains("'GOPHER'") && c.message().contains("HTTP, HTTPS, TCP or COMMAND"), c.message());
    }
  }
}
