package io.trellis.master.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.master.EventLoop;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats do not starve behind the master's other work: they are answered while the event
 * loop is busy (a long allocation cycle, a deep queue of calls), taken ahead of the work queued
 * on the loop, and an agent that keeps heartbeating through it is never marked unreachable.
 */
class HeartbeatPriorityTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private HttpResponse<String> post(String path, Object body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAgentHeartbeatingWhileTheLoopIsBusyLongerThanTheAgentTimeoutStaysReachable() throws Exception {
    Duration timeout = Duration.ofSeconds(2);
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0).withAgentTimeouts(timeout, Duration.ofMinutes(10)));
    HttpResponse<String> registered = post("/internal/agents/register", new AgentProtocol.Register(null, "busy-host",
        "127.0.0.1:1", "cpus:4;mem:4096", Map.of(), List.of()));
    assertEquals(200, registered.statusCode(), registered.body());
    String agentId = Json.mapper().readValue(registered.body(), AgentProtocol.Registered.class).agentId();

    // The loop is held, as by an allocation cycle or a backlog of calls, for twice the agent timeout.
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    master.master().loop().execute(() -> {
      holding.countDown();
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(holding.await(30, TimeUnit.SECONDS));
    // The agent heartbeats on as a real one does, one heartbeat after another.
    List<Integer> answeredWhileBusy = new ArrayList<>();
    long until = System.nanoTime() + 2 * timeout.toNanos();
    while (System.nanoTime() < until) {
      answeredWhileBusy.add(post("/internal/agents/heartbeat", new AgentProtocol.Heartbeat(agentId)).statusCode());
      Thread.sleep(100);
    }
    assertEquals(1, busy.getCount(), "the loop was held the whole time");
    busy.countDown();

    assertTrue(answeredWhileBusy.size() > 1, "heartbeats were answered while the loop was busy: " + answeredWhileBusy);
    assertTrue(answeredWhileBusy.stream().allMatch(s -> s == 200), "every heartbeat was taken: " + answeredWhileBusy);
    // Past the next checks of silent agents: the agent counts from its last heartbeat's arrival.
    long settle = System.nanoTime() + timeout.toNanos() / 2;
    while (System.nanoTime() < settle) {
      assertEquals(200, post("/internal/agents/heartbeat", new AgentProtocol.Heartbeat(agentId)).statusCode());
      Thread.sleep(100);
    }
    long unreachable = master.master().loop().submit(() -> master.master().metrics().agentsMarkedUnreachable())
        .get(30, TimeUnit.SECONDS);
    assertEquals(0, unreachable, "no agent marked unreachable while it heartbeats");
    assertTrue(master.master().loop().submit(() -> master.master().mayHeartbeat(agentId)).get(30, TimeUnit.SECONDS));
  }

  @Test
  void anAgentThatStopsHeartbeatingIsStillFoundSilent() throws Exception {
    Duration timeout = Duration.ofSeconds(1);
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0).withAgentTimeouts(timeout, Duration.ofMinutes(10)));
    HttpResponse<String> registered = post("/internal/agents/register", new AgentProtocol.Register(null, "quiet-host",
        "127.0.0.1:1", "cpus:4;mem:4096", Map.of(), List.of()));
    String agentId = Json.mapper().readValue(registered.body(), AgentProtocol.Registered.class).agentId();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (master.master().loop().submit(() -> master.master().metrics().agentsMarkedUnreachable()).get(30, TimeUnit.SECONDS) == 0) {
      assertTrue(System.nanoTime() < deadline, "the silent agent was never marked unreachable");
      Thread.sleep(100);
    }
    HttpResponse<String> late = post("/internal/agents/heartbeat", new AgentProtocol.Heartbeat(agentId));
    assertEquals(404, late.statusCode(), "an unreachable agent is told to register again: " + late.body());
  }

  @Test
  void urgentWorkRunsBeforeTheOrdinaryWorkQueuedAheadOfIt() throws Exception {
    try (EventLoop loop = new EventLoop("test-loop")) {
      CountDownLatch release = new CountDownLatch(1);
      loop.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      List<String> order = new ArrayList<>();
      loop.execute(() -> order.add("ordinary 1"));
      loop.execute(() -> order.add("ordinary 2"));
      var urgent = loop.submitUrgent(() -> order.add("urgent"));
      release.countDown();
      urgent.get(30, TimeUnit.SECONDS);
      loop.submit(() -> null).get(30, TimeUnit.SECONDS);
      assertEquals(List.of("urgent", "ordinary 1", "ordinary 2"), order);
    }
  }
}
