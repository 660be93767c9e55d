package io.trellis.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.SchedulerEvent;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterInfo;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A framework subscribed to a leader that goes silent without closing anything (a master paused
 * by SIGSTOP, or cut off): when another master is elected, the client leaves the silent one and
 * subscribes to the new leader at once, not after its silence timeout (three heartbeats, here
 * three minutes).
 */
class LeaderChangeTest {
  @Test
  void aClientLeavesASilentMasterForTheNewLeader() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch subscribedToA = new CountDownLatch(1);
    CountDownLatch subscribedToB = new CountDownLatch(1);
    HttpServer a = silentAfterSubscribed(subscribedToA, release);
    HttpServer b = silentAfterSubscribed(subscribedToB, release);
    Detector detector = new Detector(new MasterInfo("a", "127.0.0.1:" + a.getAddress().getPort(), 1));
    List<String> disconnects = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (SchedulerClient client = SchedulerClient.start(detector,
        new FrameworkInfo(null, "leader-change", "test", List.of("*"), 60.0, null), new Scheduler() {
          @Override
          public void disconnected(SchedulerClient c, String reason) {
            disconnects.add(reason);
          }
        })) {
      assertTrue(subscribedToA.await(30, TimeUnit.SECONDS), "the client never subscribed to the first master");
      client.awaitSubscribed(Duration.ofSeconds(30));

      detector.leader.set(new MasterInfo("b", "127.0.0.1:" + b.getAddress().getPort(), 2));
      assertTrue(subscribedToB.await(30, TimeUnit.SECONDS),
          "the client stayed with the silent master after another was elected");
      assertEquals(1, disconnects.size(), "one disconnection, from the master it left: " + disconnects);
    } finally {
      release.countDown();
      a.stop(0);
      b.stop(0);
    }
  }

  /** A master that answers SUBSCRIBE (heartbeats every 60 s) and then says nothing until released. */
  private static HttpServer silentAfterSubscribed(CountDownLatch subscribed, CountDownLatch release) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/api/v1/scheduler", exchange -> {
      exchange.getResponseHeaders().add("Trellis-Stream-Id", "stream-1");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      String event = Json.mapper().writeValueAsString(
          SchedulerEvent.subscribed(new SchedulerEvent.Subscribed("fw-1", 60, "m")));
      out.write((event + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      subscribed.countDown();
      try {
        release.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  /** A detector whose leader the test sets. */
  private static final class Detector implements MasterDetector {
    final AtomicReference<MasterInfo> leader;

    Detector(MasterInfo first) {
      leader = new AtomicReference<>(first);
    }

    @Override
    public Optional<MasterInfo> current() {
      return Optional.ofNullable(leader.get());
    }

    @Override
    public MasterInfo await(Duration timeout) {
      return leader.get();
    }

    @Override
    public MasterInfo awaitChange(MasterInfo previous, Duration timeout) {
      return leader.get();
    }

    @Override
    public void addListener(Listener listener) {}

    @Override
    public void removeListener(Listener listener) {}

    @Override
    public String source() {
      return "test";
    }

    @Override
    public void close() {}
  }
}
