package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many tasks of one ACCEPT on a real agent: a real ZooKeeper, master and agent running real
 * processes. The master hands the agent its launches in one call, the agent reports and the
 * framework acknowledges in batches, and every task ends up RUNNING, then KILLED and forgotten
 * by the agent once acknowledged.
 */
class BatchedTasksClusterTest {
  private static final String RESOURCES = "cpus:4;mem:2048";
  private static final int TASKS = 8;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
  private final AtomicBoolean launched = new AtomicBoolean();
  private Path dir;
  private TestingServer zk;
  private MasterProcess master;
  private AgentProcess agent;
  private MasterDetector detector;
  private SchedulerClient framework;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("trellis-batched-test-");
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    agent = AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(RESOURCES),
        Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
    framework = SchedulerClient.start(detector, new FrameworkInfo(null, "batched", "test", List.of("*"), 60.0, null),
        new Scheduler() {
          @Override
          public void offers(SchedulerClient c, List<OfferInfo> offers) {
            for (OfferInfo o : offers) {
              if (launched.compareAndSet(false, true)) {
                List<TaskSpec> tasks = new ArrayList<>();
                for (int i = 0; i < TASKS; i++) {
                  tasks.add(new TaskSpec("sleep-" + i, "sleep-" + i, o.agentId(), "cpus:0.1;mem:16",
                      CommandSpec.shell("sleep 600"), Map.of(), 1.0, null));
                }
                c.accept(List.of(o.id()), tasks, 60.0);
              } else {
                c.decline(List.of(o.id()), 60.0);
              }
            }
          }

          @Override
          public void update(SchedulerClient c, TaskStatus s) {
            latest.put(s.taskId(), s);
          }
        });
    framework.awaitSubscribed(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    framework.close();
    detector.close();
    agent.close();
    master.close();
    zk.close();
  }

  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 60 s; latest updates: " + latest.values());
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private long inState(TaskState state) {
    return latest.values().stream().filter(s -> s.state() == state).count();
  }

  private JsonNode agentState() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + agent.endpoint() + "/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  @Test
  void tasksOfOneAcceptRunAndEndAndTheAgentForgetsThemOnceAcknowledged() throws Exception {
    await("all RUNNING", () -> inState(TaskState.RUNNING) == TASKS);
    assertEquals(TASKS, agentState().path("tasks").size());

    for (TaskStatus s : List.copyOf(latest.values())) {
      framework.kill(s.taskId(), s.agentId());
    }
    await("all KILLED", () -> inState(TaskState.KILLED) == TASKS);
    // The agent keeps a task until its terminal update is acknowledged.
    await("the agent forgot every task", () -> {
      try {
        return agentState().path("tasks").isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void aFrameworkTornDownHasEveryTaskKilledOnTheAgent() throws Exception {
    await("all RUNNING", () -> inState(TaskState.RUNNING) == TASKS);
    // The master kills the framework's tasks on the agent (in one call) and acknowledges their
    // terminal updates for the framework that is gone: the agent ends and forgets every one.
    framework.teardown();
    await("the agent killed and forgot every task", () -> {
      try {
        return agentState().path("tasks").isEmpty();
      } catch (Exception e) {
        return false;
      }
    });
  }

  @Test
  void aBatchWithAnEmptyEntryIsRefusedNamingIt() throws Exception {
    for (String endpoint : List.of("launches", "kills", "acknowledgements")) {
      String field = endpoint;
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + agent.endpoint() + "/internal/tasks/" + endpoint))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"" + field + "\": [null]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), r.body());
      assertTrue(r.body().contains(field + "[0] is empty"), r.body());
    }
  }
}
