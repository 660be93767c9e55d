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
import io.trellis.api.SchedulerCall;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preemption on a real master over HTTP, its agent the recording far end of the master's calls:
 * which tasks are killed (priorities, opt-outs, most recent first), with what grace period, that
 * nothing more is killed while the victims are dying, and what the frameworks and the operator
 * see once they are gone.
 */
class PreemptionMasterTest {
  private static final double GRACE_SECONDS = 7;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;
  private RecordingAgents agents;
  private String agentId;
  private final List<SchedulerClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0).withPreemption(PreemptionConfig.DEFAULTS
        .withGrace(Duration.ofMillis((long) (GRACE_SECONDS * 1000))).withInterval(Duration.ofMillis(200))));
    agents = new RecordingAgents();
    HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        null, "host-a", agents.endpoint("a"), "cpus:4;mem:1024", Map.of(), List.of())));
    agentId = Json.mapper().readValue(r.body(), AgentProtocol.Registered.class).agentId();
  }

  @AfterEach
  void stop() {
    clients.forEach(SchedulerClient::close);
    agents.close();
    master.close();
  }

  private SchedulerClient subscribe(String role, Integer priority, QueuedScheduler scheduler) throws Exception {
    SchedulerClient c = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(null, role, "test", List.of(role), 60.0, null, priority), scheduler);
    clients.add(c);
    c.awaitSubscribed(Duration.ofSeconds(20));
    return c;
  }

  private static OfferInfo offer(QueuedScheduler s) throws InterruptedException {
    List<OfferInfo> o = s.offers.poll(20, TimeUnit.SECONDS);
    assertTrue(o != null && !o.isEmpty(), "no offer arrived");
    return o.get(0);
  }

  private TaskSpec task(String id, Integer priority, Boolean preemptible) {
    return new TaskSpec(id, id, agentId, "cpus:1;mem:256", CommandSpec.shell("sleep 600"), Map.of(), null, null)
        .withPreemption(priority, preemptible);
  }

  /** The agent reports the task in {@code state}. */
  private void report(SchedulerClient f, String taskId, TaskState state) throws Exception {
    assertEquals(202, post("/internal/agents/update", Json.mapper().writeValueAsString(new AgentProtocol.Update(agentId,
        f.frameworkId(), new TaskStatus(taskId, f.frameworkId(), agentId, state, null, null, null,
            UUID.randomUUID().toString(), 0)))).statusCode());
  }

  /** The kills the agent receives within {@code seconds}, by task id. */
  private Map<String, AgentProtocol.Kill> kills(double seconds) throws Exception {
    Map<String, AgentProtocol.Kill> out = new HashMap<>();
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline) {
      RecordingAgents.Call c = agents.poll(Duration.ofMillis(100));
      if (c != null && c.endpoint().equals("kill")) {
        AgentProtocol.Kill k = Json.mapper().readValue(c.body(), AgentProtocol.Kill.class);
        out.put(k.taskId(), k);
      } else if (c != null && c.endpoint().equals("kills")) {
        // Kills for one agent go in one call.
        for (AgentProtocol.Kill k : Json.mapper().readValue(c.body(), AgentProtocol.Kills.class).kills()) {
          out.put(k.taskId(), k);
        }
      }
    }
    return out;
  }

  @Test
  void victimsAreTheLowestPriorityThenTheNewestPreemptibleTasksKilledOnceWithTheGracePeriod() throws Exception {
    QueuedScheduler batch = new QueuedScheduler();
    SchedulerClient batchClient = subscribe("batch", 3, batch);
    batchClient.accept(List.of(offer(batch).id()), List.of(task("b-keep", -5, false), task("b-low", -1, null),
        task("b-old", null, null)), 0.0);
    TimeUnit.MILLISECONDS.sleep(20);
    batchClient.accept(List.of(offer(batch).id()), List.of(task("b-new", null, null)), 0.0);
    for (String id : List.of("b-keep", "b-low", "b-old", "b-new")) {
      report(batchClient, id, TaskState.RUNNING);
    }
    assertEquals(200, put("/api/v1/roles/web", "{\"quota\": {\"guarantee\": \"cpus:2;mem:512\"}}").statusCode());

    QueuedScheduler web = new QueuedScheduler();
    SchedulerClient webClient = subscribe("web", null, web);
    webClient.request(List.of(new SchedulerCall.Demand("w", "web", "cpus:2;mem:512", 1, List.of(), null)));

    Map<String, AgentProtocol.Kill> kills = kills(3);
    assertEquals(Set.of("b-low", "b-new"), kills.keySet(),
        "b-keep is not preemptible; b-low has the lowest priority; b-new is newer than b-old");
    kills.values().forEach(k -> assertEquals(GRACE_SECONDS, k.gracePeriodSeconds()));
    assertEquals(Map.of(), kills(1), "nothing more is killed while the victims are dying");

    report(batchClient, "b-low", TaskState.KILLED);
    report(batchClient, "b-new", TaskState.KILLED);
    Map<String, TaskStatus> ends = new HashMap<>();
    while (ends.size() < 2) {
      TaskStatus s = batch.updates.poll(20, TimeUnit.SECONDS);
      assertNotNull(s, "the victims' terminal updates, got " + ends);
      if (s.state().isTerminal()) {
        ends.put(s.taskId(), s);
      }
    }
    for (TaskStatus s : ends.values()) {
      assertEquals(TaskState.KILLED, s.state());
      assertEquals("PREEMPTED", s.reason());
      assertTrue(s.message().startsWith("preempted for role web (below its guarantee)"), s.message());
    }
    OfferInfo freed = offer(web);
    assertEquals(agentId, freed.agentId());
    assertEquals("cpus:2;mem:512", freed.resources());

    JsonNode state = Json.mapper().readTree(get("/api/v1/state").body());
    for (JsonNode f : state.path("frameworks")) {
      boolean isBatch = f.path("id").asText().equals(batchClient.frameworkId());
      assertEquals(isBatch ? 2 : 0, f.path("preempted").asLong(), f.toString());
      assertEquals(isBatch ? 3 : 0, f.path("priority").asInt(), f.toString());
    }
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("trellis_preempted_tasks_total{framework=\"" + batchClient.frameworkId()
        + "\",role=\"batch\"} 2.0"), metrics);
  }

  @Test
  void aNonPreemptibleRoleIsNeverAVictim() throws Exception {
    assertEquals(200, put("/api/v1/roles/batch", "{\"preemptible\": false}").statusCode());
    QueuedScheduler batch = new QueuedScheduler();
    SchedulerClient batchClient = subscribe("batch", null, batch);
    batchClient.accept(List.of(offer(batch).id()), List.of(task("b1", null, null), task("b2", null, null),
        task("b3", null, null), task("b4", null, null)), 0.0);
    assertEquals(200, put("/api/v1/roles/web", "{\"quota\": {\"guarantee\": \"cpus:1;mem:256\"}}").statusCode());
    QueuedScheduler web = new QueuedScheduler();
    subscribe("web", null, web).request(List.of(new SchedulerCall.Demand("w", "web", "cpus:1;mem:256", 1, List.of(),
        null)));

    assertEquals(Map.of(), kills(1.5));
    JsonNode roles = Json.mapper().readTree(get("/api/v1/roles").body());
    for (JsonNode r : roles) {
      assertEquals(!r.path("name").asText().equals("batch"), r.path("preemptible").asBoolean(), r.toString());
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
