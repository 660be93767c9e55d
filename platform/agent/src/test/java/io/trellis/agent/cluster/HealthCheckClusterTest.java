package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.HealthCheckSpec;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Health checks end to end: a real ZooKeeper, master and agent, a framework on the client
 * library, and a task whose HTTP check probes a server this test switches between 200 and 500.
 * The framework sees the task turn healthy, unhealthy and healthy again; the master shows it in
 * its state and its reconciliation answers; a restarted agent resumes the checks.
 */
class HealthCheckClusterTest {
  private static final String RESOURCES = "cpus:2;mem:1024;ports:[31000-31010]";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  private final List<TaskSpec> toLaunch = new CopyOnWriteArrayList<>();
  private Path dir;
  private TestingServer zk;
  private String zkSpec;
  private MasterProcess master;
  private AgentProcess agent;
  private SchedulerClient framework;
  private io.trellis.client.discovery.MasterDetector frameworkDetector;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("trellis-health-test-");
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
        .withHeartbeatInterval(Duration.ofSeconds(1)), zkSpec);
    agent = startAgent();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
    frameworkDetector = MasterDetectors.from(zkSpec);
    framework = SchedulerClient.start(frameworkDetector,
        new FrameworkInfo(null, "health-test", "test", List.of("*"), 600.0, null), new Scheduler() {
          @Override
          public synchronized void offers(SchedulerClient c, List<OfferInfo> offers) {
            for (OfferInfo o : offers) {
              if (toLaunch.isEmpty()) {
                c.decline(List.of(o.id()), 1.0);
              } else {
                List<TaskSpec> tasks = List.copyOf(toLaunch);
                toLaunch.clear();
                c.accept(List.of(o.id()), tasks, 1.0);
              }
            }
          }

          @Override
          public void update(SchedulerClient c, TaskStatus s) {
            updates.add(s);
          }
        });
    framework.awaitSubscribed(Duration.ofSeconds(30));
  }

  private AgentProcess startAgent() throws Exception {
    return AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(RESOURCES),
        Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(zkSpec));
  }

  @AfterEach
  void stop() throws Exception {
    for (TaskStatus s : updates) {
      if (!s.state().isTerminal()) {
        framework.kill(s.taskId(), s.agentId());
      }
    }
    awaitUpdate("every task ended", s -> s.state().isTerminal(), Duration.ofSeconds(30));
    framework.close();
    frameworkDetector.close();
    agent.close();
    master.close();
    zk.close();
    server.stop(0);
  }

  private TaskStatus awaitUpdate(String what, Predicate<TaskStatus> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (TaskStatus s : updates) {
        if (condition.test(s)) {
          return s;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no update: " + what + " within " + timeout + "; updates: " + updates);
  }

  private static Predicate<TaskStatus> health(Boolean healthy, int nth) {
    AtomicInteger seen = new AtomicInteger();
    return s -> s.state() == TaskState.RUNNING && healthy.equals(s.healthy()) && seen.incrementAndGet() == nth;
  }

  private JsonNode stateTask(String taskId) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
        + "/api/v1/state")).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode t : Json.mapper().readTree(r.body()).path("tasks")) {
      if (t.path("id").asText().equals(taskId)) {
        return t;
      }
    }
    throw new AssertionError("no task " + taskId + " in " + r.body());
  }

  private long count(Predicate<TaskStatus> p) {
    return updates.stream().filter(p).count();
  }

  @Test
  void theFrameworkSeesATaskTurnHealthyUnhealthyAndHealthyAgain() throws Exception {
    int port = server.getAddress().getPort();
    String check = "HTTP GET http://127.0.0.1:" + port + "/health";
    toLaunch.add(new TaskSpec("web", "web", null, "cpus:0.1;mem:32", CommandSpec.shell("sleep 600"), Map.of(), 1.0,
        null, List.of(new HealthCheckSpec("HTTP", port, "/health", null, 0, 0.2, 2, 2, 0))));
    framework.revive(List.of());

    TaskStatus running = awaitUpdate("RUNNING", s -> s.state() == TaskState.RUNNING, Duration.ofSeconds(30));
    assertNull(running.healthy(), "the first RUNNING comes before any check");
    TaskStatus healthy = awaitUpdate("healthy", health(true, 1), Duration.ofSeconds(30));
    assertEquals(check + " returned 200", healthy.message());
    assertEquals("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", healthy.reason());

    status.set(500);
    TaskStatus sick = awaitUpdate("unhealthy", health(false, 1), Duration.ofSeconds(30));
    assertEquals(check + " returned 500 (2 consecutive failures)", sick.message());
    awaitState("web", t -> t.path("healthy").isBoolean() && !t.path("healthy").asBoolean());

    updates.clear();
    framework.reconcile(List.of(new SchedulerCall.TaskRef("web", running.agentId())));
    TaskStatus answer = awaitUpdate("reconciliation", s -> "REASON_RECONCILIATION".equals(s.reason()),
        Duration.ofSeconds(30));
    assertEquals(TaskState.RUNNING, answer.state());
    assertEquals(Boolean.FALSE, answer.healthy());

    status.set(200);
    awaitUpdate("healthy again", health(true, 1), Duration.ofSeconds(30));
    awaitState("web", t -> t.path("healthy").asBoolean());

    framework.kill("web", running.agentId());
    TaskStatus killed = awaitUpdate("KILLED", s -> s.state() == TaskState.KILLED, Duration.ofSeconds(30));
    assertNull(killed.healthy(), "a terminal update says nothing of health");
    long healthUpdates = count(s -> s.healthy() != null && !"REASON_RECONCILIATION".equals(s.reason()));
    status.set(500);
    TimeUnit.SECONDS.sleep(2);
    assertEquals(healthUpdates, count(s -> s.healthy() != null && !"REASON_RECONCILIATION".equals(s.reason())),
        "checks stop when the task ends: " + updates);
    assertFalse(updates.stream().anyMatch(s -> s.state() == TaskState.FAILED), updates.toString());
  }

  @Test
  void aRestartedAgentResumesTheChecksOfItsRecoveredTask() throws Exception {
    int port = server.getAddress().getPort();
    toLaunch.add(new TaskSpec("kept", "kept", null, "cpus:0.1;mem:32", CommandSpec.shell("sleep 600"), Map.of(), 1.0,
        null, List.of(new HealthCheckSpec("HTTP", port, "/health", null, 0, 0.2, 2, 1, 0))));
    framework.revive(List.of());
    TaskStatus healthy = awaitUpdate("healthy", health(true, 1), Duration.ofSeconds(30));

    agent.close();
    agent = startAgent();
    status.set(500);
    TaskStatus sick = awaitUpdate("unhealthy after the restart", health(false, 1), Duration.ofSeconds(60));
    assertEquals(healthy.agentId(), sick.agentId());
    assertEquals(1, count(health(true, 1)), "healthy is not reported again after the restart: " + updates);
    awaitState("kept", t -> t.path("healthy").isBoolean() && !t.path("healthy").asBoolean());
  }

  private void awaitState(String taskId, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode t = null;
    while (System.nanoTime() < deadline) {
      t = stateTask(taskId);
      if (condition.test(t)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the master's state never showed the expected health: " + t);
  }
}
