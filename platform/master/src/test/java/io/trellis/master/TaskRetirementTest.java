package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tasks the master must not leave in limbo: a launch the agent took but never started (it lost
 * it) ends at the launch timeout, or at once when the agent registers again without it; a task
 * the agent reports ended when it registers again keeps the agent's state, reason and exit code.
 * A real master over HTTP; the agent's side is {@link RecordingAgents}, which takes every launch
 * and starts nothing, as an agent whose disk is full did.
 */
class TaskRetirementTest {
  private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(2);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final QueuedScheduler framework = new QueuedScheduler();
  private final BlockingQueue<List<OfferInfo>> offers = framework.offers;
  private final BlockingQueue<TaskStatus> updates = framework.updates;
  private RecordingAgents agents;
  private MasterProcess master;
  private SchedulerClient client;
  private String agentId;

  @BeforeEach
  void start() throws Exception {
    agents = new RecordingAgents();
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0).withLaunchTimeout(LAUNCH_TIMEOUT));
    agentId = register(null, List.of());
    client = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(null, "retirement-test", "test", List.of("*"), 0.0, null), framework);
    client.awaitSubscribed(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    client.close();
    master.close();
    agents.close();
  }

  private String register(String id, List<AgentProtocol.RunningTask> tasks) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
            + "/internal/agents/register")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(new AgentProtocol.Register(id,
            "127.0.0.1", agents.endpoint("a1"), "cpus:4;mem:4096", Map.of(), tasks)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return Json.mapper().readTree(r.body()).path("agentId").asText();
  }

  private static TaskSpec sleeper(String id) {
    return new TaskSpec(id, id, null, "cpus:1;mem:128", CommandSpec.shell("sleep 600"), Map.of(), null, null,
        List.of());
  }

  /** Launches the task on the agent and waits until the agent has the launch. */
  private void launch(String taskId) throws Exception {
    List<OfferInfo> o = offers.poll(20, TimeUnit.SECONDS);
    assertTrue(o != null && !o.isEmpty(), "no offer arrived");
    client.accept(List.of(o.get(0).id()), List.of(sleeper(taskId)), 60.0);
    RecordingAgents.Call call = agents.next();
    assertEquals("launch", call.endpoint(), call.toString());
  }

  private TaskStatus nextUpdate(String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      TaskStatus s = updates.poll(100, TimeUnit.MILLISECONDS);
      if (s != null && s.taskId().equals(taskId)) {
        return s;
      }
    }
    throw new AssertionError("no update of task " + taskId + " within 20 s");
  }

  private JsonNode taskInState(String taskId) throws Exception {
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
        + "/api/v1/state")).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode t : Json.mapper().readTree(state.body()).path("tasks")) {
      if (t.path("id").asText().equals(taskId)) {
        return t;
      }
    }
    return null;
  }

  @Test
  void aTaskStillStagingPastTheLaunchTimeoutFailsWithTheReasonAndIsKilledOnItsAgent() throws Exception {
    launch("lost");

    TaskStatus s = nextUpdate("lost");
    assertEquals(TaskState.FAILED, s.state(), s.toString());
    assertEquals("REASON_TASK_LAUNCH_TIMED_OUT", s.reason());
    assertTrue(s.message().contains("did not start the task within 2 s"), s.message());
    RecordingAgents.Call kill = agents.next();
    assertEquals("kill", kill.endpoint(), "the agent is told to kill it in case it starts after all");
    assertTrue(kill.body().contains("\"lost\""), kill.body());
    assertEquals("FAILED", taskInState("lost").path("state").asText());

    // The agent starts it after all: the master has ended it, so it has the agent kill it.
    TaskStatus late = new TaskStatus("lost", client.frameworkId(), agentId, TaskState.RUNNING, null, null, null,
        "late-1", 2.0);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
            + "/internal/agents/update")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
            new AgentProtocol.Update(agentId, client.frameworkId(), late)))).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, r.statusCode(), r.body());
    List<String> calls = agents.next(2).stream().map(RecordingAgents.Call::endpoint).toList();
    assertTrue(calls.contains("kill") && calls.contains("acknowledge"), calls.toString());
    assertEquals("FAILED", taskInState("lost").path("state").asText(), "a late report does not revive it");
  }

  @Test
  void anAgentRegisteringAgainWithoutATaskItTookRetiresTheTaskAtOnce() throws Exception {
    launch("forgotten");

    // The agent restarted and lost the launch. Registering again (until the master has seen
    // the agent answer the launch) retires the task well before the launch timeout would.
    TaskStatus s = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (s == null && System.nanoTime() < deadline) {
      register(agentId, List.of());
      s = updates.poll(200, TimeUnit.MILLISECONDS);
    }
    assertNotNull(s, "no update after the agent registered again without the task");
    assertEquals("forgotten", s.taskId());
    assertEquals(TaskState.GONE, s.state(), s.toString());
    assertEquals("REASON_AGENT_REREGISTERED", s.reason());
    assertEquals("the agent re-registered without the task", s.message());
  }

  @Test
  void aTerminalStateReportedAtRegistrationKeepsTheAgentsStateExitCodeAndReason() throws Exception {
    launch("crashed");
    TaskSpec placed = new TaskSpec("crashed", "crashed", agentId, "cpus:1;mem:128", CommandSpec.shell("sleep 600"),
        Map.of(), null, null, List.of());
    TaskStatus failed = new TaskStatus("crashed", client.frameworkId(), agentId, TaskState.FAILED,
        "REASON_COMMAND_EXECUTOR_FAILED", "exited with status 137", 137, "u-137", 1.0);
    register(agentId, List.of(new AgentProtocol.RunningTask(client.frameworkId(), "*", placed, TaskState.FAILED,
        null, failed)));

    TaskStatus s = nextUpdate("crashed");
    assertEquals(TaskState.FAILED, s.state(), s.toString());
    assertEquals(137, s.exitCode());
    assertEquals("REASON_COMMAND_EXECUTOR_FAILED", s.reason());
    assertEquals("exited with status 137", s.message());
    JsonNode t = taskInState("crashed");
    assertEquals("FAILED", t.path("state").asText(), t.toString());
    assertEquals(137, t.path("exitCode").asInt(), t.toString());
  }
}
