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
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.TrellisApiException;
import io.trellis.client.discovery.FixedMasterDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched scheduler calls on a real master over HTTP: an ACCEPT holding offers of several agents
 * launches each agent's tasks in one call to that agent and fails only the tasks that cannot be
 * placed; one ACKNOWLEDGE of many updates reaches each agent as one call. The agents are the
 * recording far end of the master's calls, registered over the real agent protocol.
 */
class BatchedCallsTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;
  private RecordingAgents agents;
  /** Agent name to the id the master gave it. */
  private final Map<String, String> ids = new LinkedHashMap<>();
  private final List<SchedulerClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
    agents = new RecordingAgents();
    for (String name : List.of("a", "b", "c")) {
      HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
          null, "host-" + name, agents.endpoint(name), "cpus:4;mem:4096", Map.of(), List.of())));
      assertEquals(200, r.statusCode(), r.body());
      ids.put(name, Json.mapper().readValue(r.body(), AgentProtocol.Registered.class).agentId());
    }
  }

  @AfterEach
  void stop() {
    clients.forEach(SchedulerClient::close);
    agents.close();
    master.close();
  }

  /** A framework that acknowledges by itself, with its offers and updates queued. */
  private final class Framework implements Scheduler {
    final BlockingQueue<OfferInfo> offers = new LinkedBlockingQueue<>();
    final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();
    final SchedulerClient client;

    Framework(String name) throws InterruptedException {
      client = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
          new FrameworkInfo(null, name, "test", List.of("*"), 0.0, null), this, false);
      clients.add(client);
      client.awaitSubscribed(Duration.ofSeconds(20));
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> list) {
      offers.addAll(list);
    }

    @Override
    public void update(SchedulerClient c, TaskStatus s) {
      updates.add(s);
    }

    /** Waits for one offer of each named agent; returns them by agent name. */
    Map<String, OfferInfo> offersOf(String... names) throws InterruptedException {
      Map<String, OfferInfo> byName = new HashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (byName.size() < names.length && System.nanoTime() < deadline) {
        OfferInfo o = offers.poll(1, TimeUnit.SECONDS);
        for (String n : names) {
          if (o != null && o.agentId().equals(ids.get(n))) {
            byName.put(n, o);
          }
        }
      }
      assertEquals(Set.of(names), byName.keySet(), "offers of every agent");
      return byName;
    }

    /** The next {@code n} updates by task id. */
    Map<String, TaskStatus> updates(int n) throws InterruptedException {
      Map<String, TaskStatus> out = new HashMap<>();
      for (int i = 0; i < n; i++) {
        TaskStatus s = updates.poll(20, TimeUnit.SECONDS);
        assertNotNull(s, "update " + (i + 1) + " of " + n + " did not arrive; got " + out.keySet());
        out.put(s.taskId(), s);
      }
      return out;
    }
  }

  @Test
  void oneAcceptLaunchesTasksOnManyAgentsWithOneCallPerAgent() throws Exception {
    Framework f = new Framework("batch");
    Map<String, OfferInfo> offers = f.offersOf("a", "b", "c");

    f.client.accept(List.of(offers.get("a").id(), offers.get("b").id(), offers.get("c").id()),
        List.of(task("a1", "a", "cpus:1;mem:128"), task("b1", "b", "cpus:1;mem:128"),
            task("a2", "a", "cpus:2;mem:256"), task("b2", "b", "cpus:1;mem:128")), 0.0);

    Map<String, RecordingAgents.Call> byAgent = new HashMap<>();
    for (RecordingAgents.Call call : agents.next(2)) {
      byAgent.put(call.agent(), call);
    }
    assertEquals(Set.of("a", "b"), byAgent.keySet(), "one call to each agent with tasks, none to c");
    assertEquals(List.of("a1", "a2"), launchedIds(byAgent.get("a")));
    assertEquals(List.of("b1", "b2"), launchedIds(byAgent.get("b")));
    JsonNode state = state();
    for (JsonNode t : state.path("tasks")) {
      String id = t.path("id").asText();
      assertEquals(ids.get(id.substring(0, 1)), t.path("agentId").asText(), "task " + id + " is on its agent");
    }
    assertEquals(4, state.path("tasks").size(), state.toString());
    // What the tasks did not take, c's offer whole included, is offered again.
    Map<String, OfferInfo> again = f.offersOf("a", "b", "c");
    assertEquals("cpus:1;mem:3712", again.get("a").resources());
    assertEquals("cpus:4;mem:4096", again.get("c").resources());
  }

  @Test
  void theTasksThatCannotBePlacedFailAndTheOthersLaunch() throws Exception {
    Framework f = new Framework("bad-group");
    Map<String, OfferInfo> offers = f.offersOf("a", "b", "c");

    f.client.accept(List.of(offers.get("a").id(), offers.get("b").id()),
        List.of(task("a-big", "a", "cpus:64;mem:128"), task("a-ok", "a", "cpus:1;mem:128"),
            task("b-ok", "b", "cpus:1;mem:128"), task("on-c", "c", "cpus:1;mem:128"),
            task("nowhere", null, "cpus:1;mem:128")), 0.0);

    Map<String, TaskStatus> errors = f.updates(3);
    assertEquals(Set.of("a-big", "on-c", "nowhere"), errors.keySet());
    errors.values().forEach(s -> assertEquals(TaskState.ERROR, s.state()));
    assertTrue(errors.get("a-big").message().contains("needs cpus:64;mem:128 but the offers of agent " + ids.get("a")
        + " hold cpus:4;mem:4096 (resources not in the offer)"), errors.get("a-big").message());
    assertTrue(errors.get("on-c").message().contains("names agent '" + ids.get("c") + "' but this ACCEPT holds no offer of it"),
        errors.get("on-c").message());
    assertTrue(errors.get("nowhere").message().contains("names no agent but the offers are on 2 agents"),
        errors.get("nowhere").message());

    Map<String, List<String>> launched = new HashMap<>();
    for (RecordingAgents.Call call : agents.next(2)) {
      launched.put(call.agent(), launchedIds(call));
    }
    assertEquals(Map.of("a", List.of("a-ok"), "b", List.of("b-ok")), launched);
  }

  @Test
  void anUnknownOfferOrOneOfAnotherFrameworkFailsOnlyTheTasksLeftWithoutAnOffer() throws Exception {
    Framework first = new Framework("first");
    Map<String, OfferInfo> offers = first.offersOf("a", "b", "c");
    // c goes to the second framework only.
    first.client.decline(List.of(offers.get("c").id()), 60.0);
    Framework second = new Framework("second");
    OfferInfo theirs = second.offersOf("c").get("c");

    first.client.accept(List.of(offers.get("a").id(), theirs.id(), "no-such-offer"),
        List.of(task("mine", "a", "cpus:1;mem:128"), task("stolen", "c", "cpus:1;mem:128")), 0.0);

    TaskStatus stolen = first.updates(1).get("stolen");
    assertNotNull(stolen, "the task on the other framework's offer fails");
    assertEquals(TaskState.ERROR, stolen.state());
    assertTrue(stolen.message().contains("unknown offers [" + theirs.id() + ", no-such-offer]"), stolen.message());
    RecordingAgents.Call call = agents.next();
    assertEquals("a", call.agent());
    assertEquals(List.of("mine"), launchedIds(call));

    // The other framework's offer is still its own.
    second.client.accept(List.of(theirs.id()), List.of(task("theirs", "c", "cpus:1;mem:128")), 0.0);
    RecordingAgents.Call onC = agents.next();
    assertEquals("c", onC.agent());
    assertEquals(List.of("theirs"), launchedIds(onC));
  }

  @Test
  void oneAcknowledgeOfManyUpdatesReachesEachAgentInOneCall() throws Exception {
    Framework f = new Framework("acks");
    Map<String, OfferInfo> offers = f.offersOf("a", "b");
    f.client.accept(List.of(offers.get("a").id(), offers.get("b").id()),
        List.of(task("a1", "a", "cpus:1;mem:128"), task("a2", "a", "cpus:1;mem:128"), task("b1", "b", "cpus:1;mem:128")), 0.0);
    agents.next(2);

    // Agent a reports both its tasks in one call, b its one.
    List<AgentProtocol.Update> fromA = List.of(running(f, "a1", "a"), running(f, "a2", "a"));
    assertEquals(202, post("/internal/agents/updates", Json.mapper().writeValueAsString(
        new AgentProtocol.Updates(ids.get("a"), fromA))).statusCode());
    assertEquals(202, post("/internal/agents/update", Json.mapper().writeValueAsString(running(f, "b1", "b"))).statusCode());
    Map<String, TaskStatus> updates = f.updates(3);
    updates.values().forEach(s -> assertEquals(TaskState.RUNNING, s.state()));

    f.client.acknowledge(List.copyOf(updates.values()));

    Map<String, RecordingAgents.Call> byAgent = new HashMap<>();
    for (RecordingAgents.Call call : agents.next(2)) {
      byAgent.put(call.agent(), call);
    }
    assertEquals("acknowledgements", byAgent.get("a").endpoint());
    AgentProtocol.Acknowledgements toA = Json.mapper().readValue(byAgent.get("a").body(), AgentProtocol.Acknowledgements.class);
    assertEquals(Set.of(updates.get("a1").uuid(), updates.get("a2").uuid()),
        new HashSet<>(toA.acknowledgements().stream().map(AgentProtocol.Acknowledge::uuid).toList()));
    assertEquals("acknowledge", byAgent.get("b").endpoint());
    assertEquals(updates.get("b1").uuid(),
        Json.mapper().readValue(byAgent.get("b").body(), AgentProtocol.Acknowledge.class).uuid());
  }

  @Test
  void anAgentThatDoesNotKnowTheBatchedCallsGetsThemOneByOne() throws Exception {
    agents.refuse("launches", "acknowledgements");
    Framework f = new Framework("old-agent");
    OfferInfo offer = f.offersOf("a").get("a");
    f.client.accept(List.of(offer.id()), List.of(task("a1", "a", "cpus:1;mem:128"), task("a2", "a", "cpus:1;mem:128")), 0.0);

    List<RecordingAgents.Call> launches = agents.next(2);
    assertEquals(List.of("launch", "launch"), launches.stream().map(RecordingAgents.Call::endpoint).toList());
    Set<String> launched = new HashSet<>();
    for (RecordingAgents.Call c : launches) {
      launched.addAll(launchedIds(c));
    }
    assertEquals(Set.of("a1", "a2"), launched);

    assertEquals(202, post("/internal/agents/updates", Json.mapper().writeValueAsString(
        new AgentProtocol.Updates(ids.get("a"), List.of(running(f, "a1", "a"), running(f, "a2", "a"))))).statusCode());
    Map<String, TaskStatus> updates = f.updates(2);
    f.client.acknowledge(List.copyOf(updates.values()));
    List<RecordingAgents.Call> acks = agents.next(2);
    assertEquals(List.of("acknowledge", "acknowledge"), acks.stream().map(RecordingAgents.Call::endpoint).toList());
    Set<String> uuids = new HashSet<>();
    for (RecordingAgents.Call c : acks) {
      uuids.add(Json.mapper().readValue(c.body(), AgentProtocol.Acknowledge.class).uuid());
    }
    assertEquals(Set.of(updates.get("a1").uuid(), updates.get("a2").uuid()), uuids);
  }

  @Test
  void aFrameworkTornDownKillsEachAgentsTasksInOneCallAndOneByOneOnAnAgentThatDoesNotKnowTheBatch() throws Exception {
    agents.refuse("b/kills");
    Framework f = new Framework("torn-down");
    Map<String, OfferInfo> offers = f.offersOf("a", "b");
    f.client.accept(List.of(offers.get("a").id(), offers.get("b").id()), List.of(task("a1", "a", "cpus:1;mem:128"),
        task("a2", "a", "cpus:1;mem:128"), task("a3", "a", "cpus:1;mem:128"), task("b1", "b", "cpus:1;mem:128"),
        task("b2", "b", "cpus:1;mem:128")), 0.0);
    agents.next(2); // the launches
    f.client.teardown();

    List<RecordingAgents.Call> toA = new ArrayList<>();
    Set<String> killedOnB = new HashSet<>();
    for (RecordingAgents.Call call : agents.next(3)) {
      if (call.agent().equals("a")) {
        toA.add(call);
      } else {
        assertEquals("kill", call.endpoint(), "agent b refuses the batch: its kills come one by one");
        killedOnB.add(Json.mapper().readValue(call.body(), AgentProtocol.Kill.class).taskId());
      }
    }
    assertEquals(1, toA.size(), "agent a gets its three kills in one call");
    assertEquals("kills", toA.get(0).endpoint());
    assertEquals(Set.of("a1", "a2", "a3"), new HashSet<>(Json.mapper().readValue(toA.get(0).body(), AgentProtocol.Kills.class)
        .kills().stream().map(AgentProtocol.Kill::taskId).toList()));
    assertEquals(Set.of("b1", "b2"), killedOnB);
  }

  @Test
  void aBatchedAcknowledgeWithMissingFieldsIsA422NamingEachAndAcknowledgesNothing() throws Exception {
    Framework f = new Framework("bad-acks");
    String body = "{\"type\":\"ACKNOWLEDGE\",\"frameworkId\":\"" + f.client.frameworkId() + "\",\"acknowledgements\":["
        + "{\"agentId\":\"" + ids.get("a") + "\",\"taskId\":\"t1\",\"uuid\":\"u1\"},"
        + "{\"agentId\":\"" + ids.get("a") + "\",\"uuid\":\"u2\"}, null]}";
    TrellisApiException e = org.junit.jupiter.api.Assertions.assertThrows(TrellisApiException.class,
        () -> rawCall(f, body));
    assertEquals(422, e.status());
    assertTrue(e.getMessage().contains("acknowledgements[1].taskId: is required"), e.getMessage());
    assertTrue(e.getMessage().contains("acknowledgements[2]: is empty"), e.getMessage());
    // Nothing reached the agent: the next call it gets is the launch below.
    OfferInfo offer = f.offersOf("a").get("a");
    f.client.accept(List.of(offer.id()), List.of(task("after", "a", "cpus:1;mem:128")), 0.0);
    assertEquals("launch", agents.next().endpoint());
  }

  private void rawCall(Framework f, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/scheduler"))
        .header("Content-Type", "application/json").header("Trellis-Stream-Id", streamId(f))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      JsonNode node = Json.mapper().readTree(r.body());
      StringBuilder sb = new StringBuilder(node.path("message").asText());
      for (JsonNode err : node.path("errors")) {
        sb.append("\n").append(err.path("path").asText()).append(": ").append(err.path("message").asText());
      }
      throw new TrellisApiException(r.statusCode(), sb.toString());
    }
  }

  /** The framework's stream id, read from the master's own state on its loop. */
  private String streamId(Framework f) throws Exception {
    return master.master().loop().submit(() -> master.master().framework(f.client.frameworkId(), null).streamId)
        .get(10, TimeUnit.SECONDS);
  }

  private AgentProtocol.Update running(Framework f, String taskId, String agent) {
    return new AgentProtocol.Update(ids.get(agent), f.client.frameworkId(), new TaskStatus(taskId, f.client.frameworkId(),
        ids.get(agent), TaskState.RUNNING, null, null, null, UUID.randomUUID().toString(), 0));
  }

  private static List<String> launchedIds(RecordingAgents.Call call) throws Exception {
    if (call.endpoint().equals("launch")) {
      return List.of(Json.mapper().readValue(call.body(), AgentProtocol.Launch.class).task().taskId());
    }
    assertEquals("launches", call.endpoint());
    return Json.mapper().readValue(call.body(), AgentProtocol.Launches.class).launches().stream()
        .map(l -> l.task().taskId()).toList();
  }

  private JsonNode state() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private TaskSpec task(String id, String agent, String resources) {
    return new TaskSpec(id, id, agent == null ? null : ids.get(agent), resources, CommandSpec.shell("true"), Map.of(),
        null, null);
  }
}
