package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the web UI reads from the master: the overview and the tasks, summed up, filtered and paged
 * on the master; the events stream; a framework's own API passed on through {@code /proxy/}; and
 * the refusals of bad query parameters and addresses, each naming what was wrong.
 */
class ClusterPagesApiTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private MasterProcess master;
  private RecordingAgents agents;
  private SchedulerClient framework;
  private HttpServer frameworkApi;
  private final AtomicReference<String> seenAuthorization = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
    agents = new RecordingAgents();
    for (String host : List.of("host-a", "host-b", "host-c")) {
      HttpResponse<String> r = send("POST", "/internal/agents/register", Json.mapper().writeValueAsString(
          new AgentProtocol.Register(null, host, agents.endpoint(host), "cpus:4;mem:4096", Map.of(), List.of())));
      assertEquals(200, r.statusCode(), r.body());
    }
    frameworkApi = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    frameworkApi.createContext("/v2/hello", exchange -> {
      seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = ("{\"method\":\"" + exchange.getRequestMethod() + "\",\"query\":\""
          + exchange.getRequestURI().getRawQuery() + "\",\"read\":" + exchange.getRequestBody().readAllBytes().length
          + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(207, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    frameworkApi.start();
    QueuedScheduler queue = new QueuedScheduler();
    framework = SchedulerClient.start(new FixedMasterDetector(master.endpoint()), new FrameworkInfo(null, "pages", "test",
        List.of("*"), 60.0, null).withWebuiUrl("http://127.0.0.1:" + frameworkApi.getAddress().getPort()), queue);
    framework.awaitSubscribed(Duration.ofSeconds(30));
    // Seven tasks over the offers (the recording agents keep them staging).
    int launched = 0;
    while (launched < 7) {
      List<OfferInfo> offers = queue.offers.poll(30, TimeUnit.SECONDS);
      assertTrue(offers != null, "no offers");
      for (OfferInfo o : offers) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < 3 && launched < 7; i++, launched++) {
          tasks.add(new TaskSpec("t-" + launched, "task-" + launched, o.agentId(), "cpus:1;mem:64",
              CommandSpec.shell("sleep 600"), Map.of(), null, null));
        }
        framework.accept(List.of(o.id()), tasks, 0.0);
      }
    }
    awaitTrue(() -> json("/api/v1/tasks").path("total").asInt() == 7);
  }

  @AfterEach
  void stop() {
    if (framework != null) {
      framework.close();
    }
    if (frameworkApi != null) {
      frameworkApi.stop(0);
    }
    agents.close();
    master.close();
  }

  @Test
  void theOverviewSumsTheClusterAndPagesItsAgents() throws Exception {
    JsonNode o = json("/api/v1/overview?limit=2");
    assertEquals(3, o.path("agentsReachable").asInt());
    assertEquals(3, o.path("agents").path("total").asInt());
    assertEquals(2, o.path("agents").path("items").size());
    assertEquals(12.0, o.path("resources").path("cpus").path("total").asDouble(), 1e-9);
    assertEquals(7.0, o.path("resources").path("cpus").path("used").asDouble(), 1e-9);
    assertEquals(7, o.path("tasksByState").path("STAGING").asInt(), o.toString());
    assertEquals("pages", o.path("frameworks").get(0).path("name").asText());
    assertTrue(o.path("frameworks").get(0).path("webuiUrl").asText().startsWith("http://127.0.0.1:"));
    assertEquals(1, o.path("leaders").size(), "this term is in the history of leaders");
    assertFalse(o.path("history").isEmpty(), "the last hour has a first sample");
    JsonNode b = json("/api/v1/overview?agent=HOST-B");
    assertEquals(1, b.path("agents").path("total").asInt());
    assertEquals("host-b", b.path("agents").path("items").get(0).path("hostname").asText());
  }

  @Test
  void tasksAreFilteredAndPagedOnTheMaster() throws Exception {
    JsonNode page = json("/api/v1/tasks?limit=3&offset=3");
    assertEquals(7, page.path("total").asInt());
    assertEquals(3, page.path("offset").asInt());
    assertEquals(3, page.path("items").size());
    assertEquals(7, json("/api/v1/tasks?state=staging").path("total").asInt());
    assertEquals(0, json("/api/v1/tasks?state=RUNNING").path("total").asInt());
    assertEquals(0, json("/api/v1/tasks?framework=someone-else").path("total").asInt());
    assertEquals(1, json("/api/v1/tasks?q=TASK-6").path("total").asInt());
    String agent = json("/api/v1/tasks?q=task-0").path("items").get(0).path("agentId").asText();
    assertEquals(3, json("/api/v1/tasks?agent=" + agent).path("total").asInt());
    assertEquals(7, json("/api/v1/tasks?limit=100000").path("items").size(), "a page holds at most 500");
  }

  @Test
  void badQueryParametersAreRefusedNamingThem() throws Exception {
    Map<String, String> bad = Map.of("/api/v1/tasks?state=bogus", "'state'", "/api/v1/tasks?limit=-1", "'limit'",
        "/api/v1/tasks?offset=abc", "'offset'", "/api/v1/overview?limit=1e400", "'limit'",
        "/api/v1/tasks?limit=99999999999", "'limit'", "/api/v1/events?since=x", "'since'");
    for (var e : bad.entrySet()) {
      HttpResponse<String> r = send("GET", e.getKey(), null);
      assertEquals(400, r.statusCode(), e.getKey() + ": " + r.body());
      assertTrue(r.body().contains(e.getValue()), e.getKey() + ": " + r.body());
      assertFalse(r.body().contains("Exception"), r.body());
    }
  }

  @Test
  void aFrameworksOwnApiIsReachedThroughTheMasterWithTheCallersCredentials() throws Exception {
    HttpRequest call = HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/proxy/"
        + framework.frameworkId() + "/v2/hello?x=1")).header("Authorization", "Bearer caller-token")
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
    HttpResponse<String> r = http.send(call, HttpResponse.BodyHandlers.ofString());
    assertEquals(207, r.statusCode(), r.body());
    JsonNode body = Json.mapper().readTree(r.body());
    assertEquals("PUT", body.path("method").asText());
    assertEquals("x=1", body.path("query").asText());
    assertEquals(7, body.path("read").asInt());
    assertEquals("Bearer caller-token", seenAuthorization.get());

    HttpResponse<String> unknown = send("GET", "/proxy/fw-nobody/v2/apps", null);
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().contains("fw-nobody"), unknown.body());
  }

  @Test
  void aFrameworkAddressThatIsNotHttpIsRefusedAtSubscribe() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/scheduler", "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"frameworkInfo\":"
        + "{\"name\":\"x\",\"user\":\"u\",\"webuiUrl\":\"file:///etc/passwd\"}}}");
    assertEquals(422, r.statusCode(), r.body());
    assertTrue(r.body().contains("subscribe.frameworkInfo.webuiUrl"), r.body());
  }

  @Test
  void theEventsStreamSaysWhatHappenedAsServerSentEvents() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
        + "/api/v1/events?since=0")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    StringBuilder read = new StringBuilder();
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && !(read.toString().contains("host-c") && read.toString().contains("t-6"))) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        read.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    }
    String text = read.toString();
    assertTrue(text.contains("event: leader"), text);
    assertTrue(text.contains("event: agent\ndata: ") && text.contains("host-c"), text);
    assertTrue(text.contains("framework pages"), text);
    assertTrue(text.contains("task t-6"), text);
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return Json.mapper().readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitTrue(java.util.concurrent.Callable<Boolean> check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.call()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}
