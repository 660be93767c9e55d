package io.trellis.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.SchedulerCall;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.discovery.FixedMasterDetector;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's acknowledgements against a master stand-in at the far end of its HTTP calls:
 * an update is acknowledged only after {@link Scheduler#update} returned, and the updates of one
 * burst of events are acknowledged together.
 */
class AcknowledgementsTest {
  private HttpServer master;
  /** The events the stand-in streams on SUBSCRIBE, written at once. */
  private volatile List<SchedulerEvent> burst = List.of();
  /** Every ACKNOWLEDGE the stand-in got. */
  private final List<SchedulerCall> acknowledges = new CopyOnWriteArrayList<>();
  /** Updates whose callback returned. */
  private final Set<String> returned = ConcurrentHashMap.newKeySet();
  /** Acknowledgements that came before their update's callback returned. */
  private final List<String> early = new CopyOnWriteArrayList<>();
  private final CountDownLatch streamDone = new CountDownLatch(1);
  private SchedulerClient client;

  @BeforeEach
  void start() throws IOException {
    master = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    master.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    master.createContext("/api/v1/scheduler", exchange -> {
      SchedulerCall call;
      try (InputStream in = exchange.getRequestBody()) {
        call = Json.mapper().readValue(in.readAllBytes(), SchedulerCall.class);
      }
      if (call.type() == SchedulerCall.Type.SUBSCRIBE) {
        exchange.getResponseHeaders().set("Trellis-Stream-Id", "stream-1");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        StringBuilder lines = new StringBuilder(Json.mapper().writeValueAsString(SchedulerEvent.subscribed(
            new SchedulerEvent.Subscribed("fw-1", 60, "m-1")))).append('\n');
        for (SchedulerEvent e : burst) {
          lines.append(Json.mapper().writeValueAsString(e)).append('\n');
        }
        out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
          streamDone.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      if (call.type() == SchedulerCall.Type.ACKNOWLEDGE) {
        for (SchedulerCall.Acknowledge a : all(call)) {
          if (!returned.contains(a.uuid())) {
            early.add(a.uuid());
          }
        }
        acknowledges.add(call);
        // Hold the answer until every update of the burst was handled: acknowledgements queued
        // meanwhile must then leave together in the next call.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (returned.size() < burst.size() && System.nanoTime() < until) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    master.start();
  }

  @AfterEach
  void stop() {
    streamDone.countDown();
    if (client != null) {
      client.close();
    }
    master.stop(0);
  }

  private static List<SchedulerCall.Acknowledge> all(SchedulerCall call) {
    List<SchedulerCall.Acknowledge> out = new ArrayList<>();
    if (call.acknowledge() != null) {
      out.add(call.acknowledge());
    }
    if (call.acknowledgements() != null) {
      out.addAll(call.acknowledgements());
    }
    return out;
  }

  private static TaskStatus running(String taskId) {
    return new TaskStatus(taskId, "fw-1", "agent-1", TaskState.RUNNING, null, null, null, "uuid-" + taskId, 0);
  }

  private List<String> acknowledged() {
    List<String> out = new ArrayList<>();
    for (SchedulerCall c : acknowledges) {
      all(c).forEach(a -> out.add(a.uuid()));
    }
    return out;
  }

  private void awaitAcknowledged(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (acknowledged().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(n, acknowledged().size(), "acknowledgements received: " + acknowledged());
  }

  @Test
  void updatesAreAcknowledgedOnlyAfterTheirCallbackReturnedAndABurstTogether() throws Exception {
    burst = List.of(SchedulerEvent.update(running("t1")), SchedulerEvent.update(running("t2")),
        SchedulerEvent.update(running("t3")));
    CountDownLatch firstEntered = new CountDownLatch(1);
    CountDownLatch mayReturn = new CountDownLatch(1);
    client = SchedulerClient.start(new FixedMasterDetector("127.0.0.1:" + master.getAddress().getPort()),
        new FrameworkInfo(null, "acks", "test", List.of("*"), 0.0, null), new Scheduler() {
          @Override
          public void update(SchedulerClient c, TaskStatus s) {
            firstEntered.countDown();
            try {
              assertTrue(mayReturn.await(20, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            returned.add(s.uuid());
          }
        });
    assertTrue(firstEntered.await(20, TimeUnit.SECONDS), "the first update reached the framework");
    // While the framework holds its first update, nothing is acknowledged.
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    while (System.nanoTime() < until) {
      assertEquals(List.of(), acknowledged());
      Thread.sleep(20);
    }
    mayReturn.countDown();

    awaitAcknowledged(3);
    assertEquals(List.of(), early, "acknowledged before the framework's callback returned");
    assertEquals(Set.of("uuid-t1", "uuid-t2", "uuid-t3"), Set.copyOf(acknowledged()));
    // The burst is acknowledged in one call when the client sees the whole burst buffered, and
    // otherwise in two at most: what was queued while the first call was out goes together.
    assertTrue(acknowledges.size() <= 2, "a burst of three in at most two calls: " + acknowledges);
    assertEquals(3, acknowledges.stream().mapToInt(c -> all(c).size()).sum());
  }

  @Test
  void acknowledgementsQueuedByTheFrameworkGoOutAndUpdatesWithoutUuidAreNotAcknowledged() throws Exception {
    CountDownLatch subscribed = new CountDownLatch(1);
    client = SchedulerClient.start(new FixedMasterDetector("127.0.0.1:" + master.getAddress().getPort()),
        new FrameworkInfo(null, "manual", "test", List.of("*"), 0.0, null), new Scheduler() {
          @Override
          public void subscribed(SchedulerClient c, String frameworkId) {
            subscribed.countDown();
          }
        }, false);
    assertTrue(subscribed.await(20, TimeUnit.SECONDS));
    for (String id : List.of("m1", "m2", "m3")) {
      returned.add("uuid-" + id);
      client.acknowledgeSoon(running(id));
    }
    client.acknowledgeSoon(new TaskStatus("m4", "fw-1", "agent-1", TaskState.GONE, null, null, null, null, 0));

    awaitAcknowledged(3);
    assertEquals(Set.of("uuid-m1", "uuid-m2", "uuid-m3"), Set.copyOf(acknowledged()));
    assertEquals(List.of(), early);
  }
}
