package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.trellis.client.discovery.FixedMasterDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler API of a real master over HTTP: bad input gets clear JSON errors, and invalid
 * launches become TASK_ERROR without changing anything else. The agent here is only a
 * registration over the real agent protocol; no task reaches it.
 */
class SchedulerApiTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;
  private SchedulerClient client;
  private final QueuedScheduler framework = new QueuedScheduler();
  private final BlockingQueue<List<OfferInfo>> offers = framework.offers;
  private final BlockingQueue<TaskStatus> updates = framework.updates;

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
    post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(null,
        "127.0.0.1", "127.0.0.1:1", "cpus:4;mem:4096;ports:[31000-31010]", Map.of("rack", "r1"), List.of())));
    client = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(null, "api-test", "test", List.of("*"), 0.0, null), framework);
    client.awaitSubscribed(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    client.close();
    master.close();
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The task's entry in the operator state, or null. */
  private JsonNode taskInState(String taskId) throws Exception {
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    for (JsonNode t : Json.mapper().readTree(state.body()).path("tasks")) {
      if (t.path("id").asText().equals(taskId)) {
        return t;
      }
    }
    return null;
  }

  private OfferInfo nextOffer() throws InterruptedException {
    List<OfferInfo> o = offers.poll(20, TimeUnit.SECONDS);
    assertTrue(o != null && !o.isEmpty(), "no offer arrived");
    return o.get(0);
  }

  private TaskStatus nextUpdate() throws InterruptedException {
    TaskStatus s = updates.poll(20, TimeUnit.SECONDS);
    assertTrue(s != null, "no update arrived");
    return s;
  }

  @Test
  void unparsableJsonIsA400WithAJsonBodyAndNoStackTrace() throws Exception {
    HttpResponse<String> r = post("/api/v1/scheduler", "{\"type\": SUBSCRIBE");
    assertEquals(400, r.statusCode());
    JsonNode body = Json.mapper().readTree(r.body());
    assertEquals(400, body.path("status").asInt());
    assertTrue(body.path("message").asText().contains("unparsable JSON"), r.body());
    assertFalse(r.body().contains("at io.trellis"), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }

  @Test
  void callsWithoutAStreamOrForUnknownFrameworksAreRefusedClearly() throws Exception {
    HttpResponse<String> noStream = post("/api/v1/scheduler", "{\"type\":\"REVIVE\",\"frameworkId\":\"x\"}");
    assertEquals(400, noStream.statusCode());
    assertTrue(noStream.body().contains("Trellis-Stream-Id"), noStream.body());

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/scheduler"))
        .header("Trellis-Stream-Id", "s").POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"REVIVE\",\"frameworkId\":\"nope\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("unknown framework 'nope'"), unknown.body());

    HttpResponse<String> subscribeWithoutInfo = post("/api/v1/scheduler", "{\"type\":\"SUBSCRIBE\"}");
    assertEquals(422, subscribeWithoutInfo.statusCode());
    assertTrue(subscribeWithoutInfo.body().contains("subscribe.frameworkInfo"), subscribeWithoutInfo.body());
  }

  @Test
  void aLaunchBeyondTheOfferIsATaskErrorAndTheResourcesAreOfferedAgain() throws Exception {
    OfferInfo offer = nextOffer();
    client.accept(List.of(offer.id()), List.of(task("too-big", "cpus:64;mem:128")), 0.0);

    TaskStatus s = nextUpdate();
    assertEquals("too-big", s.taskId());
    assertEquals(TaskState.ERROR, s.state());
    assertTrue(s.message().contains("not in the offer"), s.message());
    OfferInfo again = nextOffer();
    assertEquals(offer.resources(), again.resources());
  }

  @Test
  void anUnknownOfferIsATaskError() throws Exception {
    nextOffer();
    client.accept(List.of("no-such-offer"), List.of(task("t1", "cpus:1;mem:128")), 0.0);

    TaskStatus s = nextUpdate();
    assertEquals(TaskState.ERROR, s.state());
    assertTrue(s.message().contains("unknown offer 'no-such-offer'"), s.message());
  }

  @Test
  void aDuplicateTaskIdInOneCallIsATaskErrorForTheSecond() throws Exception {
    OfferInfo offer = nextOffer();
    client.accept(List.of(offer.id()), List.of(task("dup", "cpus:1;mem:128"), task("dup", "cpus:1;mem:128")), 0.0);

    TaskStatus s = nextUpdate();
    assertEquals(TaskState.ERROR, s.state());
    assertTrue(s.message().contains("duplicate task id 'dup'"), s.message());
  }

  @Test
  void zeroSizedTasksAreRefused() throws Exception {
    OfferInfo offer = nextOffer();
    client.accept(List.of(offer.id()), List.of(task("empty", "cpus:0;mem:128")), 0.0);

    TaskStatus s = nextUpdate();
    assertEquals(TaskState.ERROR, s.state());
    assertTrue(s.message().contains("cpus > 0"), s.message());
  }

  @Test
  void taskIdsThatAreNotPlainNamesAreRefused() throws Exception {
    for (String id : List.of("../../../tmp/escape", "a/b", "..", "t".repeat(256))) {
      OfferInfo offer = nextOffer();
      client.accept(List.of(offer.id()), List.of(task(id, "cpus:1;mem:128")), 0.0);
      TaskStatus s = nextUpdate();
      assertEquals(TaskState.ERROR, s.state(), id);
      assertTrue(s.message().contains("must be at most 255 characters without '/'"), s.message());
    }
  }

  @Test
  void invalidHealthChecksAreATaskErrorNamingEveryBadField() throws Exception {
    OfferInfo offer = nextOffer();
    List<io.trellis.api.HealthCheckSpec> checks = List.of(
        new io.trellis.api.HealthCheckSpec("HTTP", null, "/health", null, 0, 10, 5, 3, 0),
        new io.trellis.api.HealthCheckSpec("COMMAND", null, null, " ", -1, 0, 5, -2, 0),
        new io.trellis.api.HealthCheckSpec("SMTP", 25, null, null, 0, 10, 0, 3, 0));
    client.accept(List.of(offer.id()), List.of(new TaskSpec("checked", "checked", null, "cpus:1;mem:128",
        CommandSpec.shell("true"), Map.of(), null, null, checks)), 0.0);

    TaskStatus s = nextUpdate();
    assertEquals(TaskState.ERROR, s.state());
    for (String expected : List.of("healthChecks[0].port must be a port number from 1 to 65535 for HTTP checks, got null",
        "healthChecks[1].command is required", "healthChecks[1].gracePeriodSeconds must be a number of seconds >= 0, got -1.0",
        "healthChecks[1].intervalSeconds must be a number of seconds > 0, got 0.0",
        "healthChecks[1].maxConsecutiveFailures must be >= 0, got -2",
        "healthChecks[2].protocol must be HTTP, HTTPS, TCP or COMMAND, got 'SMTP'",
        "healthChecks[2].timeoutSeconds must be a number of seconds > 0, got 0.0")) {
      assertTrue(s.message().contains(expected), "missing '" + expected + "' in: " + s.message());
    }
  }

  @Test
  void theHealthAnAgentReportsWhenItRegistersIsShownAndReconciled() throws Exception {
    nextOffer();
    TaskSpec running = new TaskSpec("kept", "kept", null, "cpus:1;mem:128", CommandSpec.shell("sleep 600"),
        Map.of("app", "web"), null, null, List.of(new io.trellis.api.HealthCheckSpec("TCP", 31000, null, null, 0, 10, 5, 3, 0)));
    HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        null, "127.0.0.1", "127.0.0.1:2", "cpus:2;mem:1024", Map.of(), List.of(new AgentProtocol.RunningTask(
            client.frameworkId(), "*", running, TaskState.RUNNING, false)))));
    assertEquals(200, r.statusCode(), r.body());

    JsonNode task = taskInState("kept");
    assertTrue(task != null, "the task is in the state");
    assertEquals(false, task.path("healthy").asBoolean(true), task.toString());
    assertEquals("web", task.path("labels").path("app").asText(), "labels are shown: " + task);

    client.reconcile(List.of(new io.trellis.api.SchedulerCall.TaskRef("kept", null)));
    TaskStatus s = nextUpdate();
    assertEquals("kept", s.taskId());
    assertEquals(TaskState.RUNNING, s.state());
    assertEquals(Boolean.FALSE, s.healthy());
  }

  @Test
  void anAgentReRegisteringWithATaskThatEndedMeanwhileIsAccepted() throws Exception {
    nextOffer();
    TaskSpec task = new TaskSpec("ended", "ended", null, "cpus:1;mem:128", CommandSpec.shell("sleep 600"),
        Map.of(), null, null, List.of());
    HttpResponse<String> first = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        null, "127.0.0.1", "127.0.0.1:2", "cpus:2;mem:1024", Map.of(), List.of(new AgentProtocol.RunningTask(
            client.frameworkId(), "*", task, TaskState.RUNNING)))));
    assertEquals(200, first.statusCode(), first.body());
    String agentId = Json.mapper().readTree(first.body()).path("agentId").asText();

    // The agent restarted, and the task was killed before it could register again.
    HttpResponse<String> again = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        agentId, "127.0.0.1", "127.0.0.1:2", "cpus:2;mem:1024", Map.of(), List.of(new AgentProtocol.RunningTask(
            client.frameworkId(), "*", task, TaskState.KILLED)))));
    assertEquals(200, again.statusCode(), again.body());
  }

  @Test
  void stateAndMetricsAreServed() throws Exception {
    nextOffer();
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, state.statusCode());
    JsonNode s = Json.mapper().readTree(state.body());
    assertEquals(1, s.path("agents").size());
    assertEquals("cpus:4;mem:4096;ports:[31000-31010]", s.path("agents").get(0).path("total").asText());
    assertEquals("api-test", s.path("frameworks").get(0).path("name").asText());
    assertEquals(1, s.path("offers").size());

    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("trellis_offers_total"), metrics.body());
    assertTrue(metrics.body().contains("trellis_agents{state=\"reachable\"} 1.0"), metrics.body());
    assertTrue(metrics.body().contains("trellis_allocation_cycle_seconds"), metrics.body());
  }

  @Test
  void roleWeightsAndQuotasAreValidatedAndStored() throws Exception {
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/roles/spark"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": -1, \"quota\": {\"guarantee\": \"cpus:x\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(422, bad.statusCode());
    assertTrue(bad.body().contains("\"path\":\"weight\""), bad.body());
    assertTrue(bad.body().contains("\"path\":\"quota.guarantee\""), bad.body());

    HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/roles/spark"))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": 3, \"quota\": {\"guarantee\": \"cpus:1\", \"limit\": \"cpus:2\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode roles = Json.mapper().readTree(ok.body());
    JsonNode spark = null;
    for (JsonNode r : roles) {
      if (r.path("name").asText().equals("spark")) {
        spark = r;
      }
    }
    assertTrue(spark != null, ok.body());
    assertEquals(3.0, spark.path("weight").asDouble());
    assertEquals("cpus:1", spark.path("guarantee").asText());
    assertEquals("cpus:2", spark.path("limit").asText());
  }

  @Test
  void explicitReconciliationOfAnUnknownTaskAnswersGone() throws Exception {
    nextOffer();
    client.reconcile(List.of(new io.trellis.api.SchedulerCall.TaskRef("never-launched", null)));

    TaskStatus s = nextUpdate();
    assertEquals("never-launched", s.taskId());
    assertEquals(TaskState.GONE, s.state());
    assertEquals("REASON_RECONCILIATION", s.reason());
  }

  @Test
  void aFrameworkThatResubscribesWithItsIdKeepsIt() throws Exception {
    String id = client.frameworkId();
    BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
    try (SchedulerClient again = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(id, "api-test", "test", List.of("*"), 60.0, null), new Scheduler() {
          @Override
          public void subscribed(SchedulerClient c, String frameworkId) {
            subscribed.add(frameworkId);
          }
        })) {
      assertEquals(id, subscribed.poll(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void offersOfAnEarlierStreamAreOfferedAgainWhenTheFrameworkSubscribesAgain() throws Exception {
    OfferInfo first = nextOffer();
    String id = client.frameworkId();
    client.close();
    BlockingQueue<OfferInfo> again = new LinkedBlockingQueue<>();
    try (SchedulerClient second = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(id, "api-test", "test", List.of("*"), 60.0, null), new Scheduler() {
          @Override
          public void offers(SchedulerClient c, List<OfferInfo> o) {
            again.addAll(o);
          }
        })) {
      OfferInfo next = again.poll(20, TimeUnit.SECONDS);
      assertTrue(next != null, "the offer held by the earlier stream was not offered again");
      assertEquals(first.agentId(), next.agentId());
      assertEquals(first.resources(), next.resources());
    }
  }

  @Test
  void theTasksOfATornDownFrameworkAreKilledInTheState() throws Exception {
    nextOffer();
    TaskSpec running = new TaskSpec("doomed", "doomed", null, "cpus:1;mem:128", CommandSpec.shell("sleep 600"),
        Map.of(), null, null);
    HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(new AgentProtocol.Register(
        null, "127.0.0.1", "127.0.0.1:2", "cpus:2;mem:1024", Map.of(), List.of(new AgentProtocol.RunningTask(
            client.frameworkId(), "*", running, TaskState.RUNNING, null)))));
    assertEquals(200, r.statusCode(), r.body());
    client.teardown();

    JsonNode task = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((task == null || !task.path("state").asText().equals("KILLED")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      task = taskInState("doomed");
    }
    assertTrue(task != null, "the task is gone from the state");
    assertEquals("KILLED", task.path("state").asText(), task.toString());
    assertEquals("REASON_FRAMEWORK_REMOVED", task.path("reason").asText(), task.toString());
  }

  private static TaskSpec task(String id, String resources) {
    return new TaskSpec(id, id, null, resources, CommandSpec.shell("true"), Map.of(), null, null);
  }
}
