package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.AgentProtocol;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.GangState;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.SchedulerEvent;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.TrellisApiException;
import io.trellis.client.discovery.FixedMasterDetector;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REQUEST through a real master on a real ZooKeeper, over HTTP: bad demands are refused naming
 * the field and change nothing; a gang is held while one agent is taken, shows in the state and
 * metrics, and is offered together once the agent comes free; a hard gang that cannot complete
 * fails with a GANG event saying why.
 */
class GangRequestTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestingServer zk;
  private MasterProcess master;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0),
        "zk://" + zk.getConnectString() + "/trellis");
    await("the master leads and has recovered", () -> {
      JsonNode h = Json.mapper().readTree(get("/health"));
      return h.path("leading").asBoolean() && h.path("recovered").asBoolean();
    });
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = post("/internal/agents/register", Json.mapper().writeValueAsString(
          new AgentProtocol.Register("agent-" + i, "h" + i, "127.0.0.1:1", "cpus:4;mem:4096", Map.of(), List.of())),
          Map.of());
      assertEquals(200, r.statusCode(), r.body());
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (master != null) {
      master.close();
    }
    zk.close();
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private String get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A framework's subscription over raw HTTP: its id, stream id and the events it receives. */
  private record Stream(String frameworkId, String streamId, BlockingQueue<JsonNode> events) {}

  private Stream subscribe(String name, String role) throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
            + "/api/v1/scheduler")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(SchedulerCall.subscribe(
            new FrameworkInfo(null, name, "test", List.of(role), 60.0, null))))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, r.statusCode());
    InputStream body = r.body();
    open.add(body);
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (!line.isBlank()) {
            events.add(Json.mapper().readTree(line));
          }
        }
      } catch (java.io.IOException closed) {
        // The test is over.
      }
    }, "events-" + name);
    reader.setDaemon(true);
    reader.start();
    return new Stream(r.headers().firstValue("Trellis-Framework-Id").orElseThrow(),
        r.headers().firstValue("Trellis-Stream-Id").orElseThrow(), events);
  }

  private HttpResponse<String> request(Stream s, String demandsJson) throws Exception {
    return post("/api/v1/scheduler", "{\"type\":\"REQUEST\",\"frameworkId\":\"" + s.frameworkId()
        + "\",\"request\":{\"demands\":" + demandsJson + "}}", Map.of("Trellis-Stream-Id", s.streamId()));
  }

  private JsonNode framework(String id) throws Exception {
    for (JsonNode f : Json.mapper().readTree(get("/api/v1/state")).path("frameworks")) {
      if (f.path("id").asText().equals(id)) {
        return f;
      }
    }
    throw new AssertionError("framework " + id + " is not in the state");
  }

  private static String demand(String id, String role, String resources, String count, String rest) {
    return "{\"id\":\"" + id + "\",\"role\":\"" + role + "\",\"resources\":\"" + resources + "\",\"count\":" + count
        + rest + "}";
  }

  @Test
  void badDemandsAreRefusedNamingTheFieldAndNothingIsStored() throws Exception {
    Stream s = subscribe("validation", "g");
    HttpResponse<String> ok = request(s, "[" + demand("keep", "g", "cpus:1;mem:128", "2", "") + "]");
    assertEquals(202, ok.statusCode(), ok.body());

    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i <= Requests.MAX_DEMANDS; i++) {
      many.append(i == 0 ? "" : ",").append(demand("d" + i, "g", "cpus:1", "1", ""));
    }
    String tooMany = many.append("]").toString();
    String gang = ",\"constraints\":[[\"hostname\",\"UNIQUE\"]],\"gang\":";
    Map<String, String> bad = new java.util.LinkedHashMap<>();
    bad.put("[" + demand("a", "nope", "cpus:1", "1", "") + "]", "request.demands[0].role");
    bad.put("[" + demand("a", "g", "cpus:1", "0", "") + "]", "request.demands[0].count");
    bad.put("[" + demand("a", "g", "cpus:1", "100001", "") + "]", "request.demands[0].count");
    bad.put("[" + demand("a", "g", "cpus:1", "1e400", "") + "]", "count");
    bad.put("[" + demand("a", "g", "cpus:abc", "1", "") + "]", "request.demands[0].resources");
    bad.put("[" + demand("a", "g", "cpus:1e400", "1", "") + "]", "request.demands[0].resources");
    bad.put("[" + demand("a", "g", "ports:[1-2]", "1", "") + "]", "request.demands[0].resources");
    bad.put("[" + demand("a", "g", "cpus:1", "1", "") + "," + demand("a", "g", "cpus:1", "1", "") + "]",
        "request.demands[1].id");
    bad.put(tooMany, "request.demands");
    bad.put("[" + demand("a", "g", "cpus:1", "1", ",\"constraints\":[[\"hostname\",\"BOGUS\"]]") + "]",
        "request.demands[0].constraints[0]");
    bad.put("[" + demand("a", "g", "cpus:1", "3", gang + "{\"minMember\":4}") + "]",
        "request.demands[0].gang.minMember");
    bad.put("[" + demand("a", "g", "cpus:1", "3", gang + "{\"minMember\":3,\"timeoutSeconds\":-1}") + "]",
        "request.demands[0].gang.timeoutSeconds");
    bad.put("[" + demand("a", "g", "cpus:1", "3", gang + "{\"minMember\":3,\"timeoutSeconds\":1e400}") + "]",
        "request.demands[0].gang.timeoutSeconds");
    bad.put("[" + demand("a", "g", "cpus:1", "4", gang + "{\"minMember\":4}") + "]",
        "request.demands[0].gang.minMember");
    bad.put("null", "request.demands");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      HttpResponse<String> r = request(s, e.getKey());
      String shown = e.getKey().length() > 200 ? e.getKey().substring(0, 200) + "..." : e.getKey();
      assertTrue(r.statusCode() == 400 || r.statusCode() == 422, shown + " -> " + r.statusCode() + " " + r.body());
      assertTrue(r.body().contains(e.getValue()), shown + " should name " + e.getValue() + ": " + r.body());
      assertFalse(r.body().contains("Exception") || r.body().contains("at io.trellis"), r.body());
    }
    HttpResponse<String> tooBig = request(s, "[" + demand("a", "g", "cpus:1", "4", gang + "{\"minMember\":4}") + "]");
    assertTrue(tooBig.body().contains("hold at most 3 members"), tooBig.body());

    JsonNode demands = framework(s.frameworkId()).path("demands");
    assertEquals(1, demands.size(), demands.toString());
    assertEquals("keep", demands.get(0).path("id").asText());
    assertEquals(2, demands.get(0).path("count").asInt());
  }

  /** A framework that declines every ordinary offer for an hour and queues the rest. */
  private static final class GangFramework implements Scheduler {
    final BlockingQueue<List<OfferInfo>> gangOffers = new LinkedBlockingQueue<>();
    final BlockingQueue<SchedulerEvent.GangUpdate> gangEvents = new LinkedBlockingQueue<>();

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      List<String> ordinary = offers.stream().filter(o -> o.gang() == null).map(OfferInfo::id).toList();
      if (!ordinary.isEmpty()) {
        c.decline(ordinary, 3600.0);
      }
      List<OfferInfo> together = offers.stream().filter(o -> o.gang() != null).toList();
      if (!together.isEmpty()) {
        gangOffers.add(together);
      }
    }

    @Override
    public void gang(SchedulerClient c, SchedulerEvent.GangUpdate update) {
      gangEvents.add(update);
    }
  }

  /** The filler framework's stream and the one offer it keeps. */
  private record Filler(Stream stream, String kept) {}

  /** A framework that keeps the first agent offered to it and declines the rest for an hour. */
  private Filler filler() throws Exception {
    Stream filler = subscribe("filler", "f");
    List<String> decline = new ArrayList<>();
    String kept = null;
    while (kept == null || decline.size() < 2) {
      JsonNode e = filler.events().poll(20, TimeUnit.SECONDS);
      assertNotNull(e, "the filler got no offers");
      for (JsonNode o : e.path("offers")) {
        if (kept == null) {
          kept = o.path("id").asText();
        } else {
          decline.add(o.path("id").asText());
        }
      }
    }
    HttpResponse<String> r = post("/api/v1/scheduler", Json.mapper().writeValueAsString(
        SchedulerCall.decline(filler.frameworkId(), decline, 3600.0)), Map.of("Trellis-Stream-Id", filler.streamId()));
    assertEquals(202, r.statusCode(), r.body());
    return new Filler(filler, kept);
  }

  private SchedulerClient gangClient(GangFramework scheduler) throws Exception {
    SchedulerClient c = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
        new FrameworkInfo(null, "gangs", "test", List.of("g"), 60.0, null), scheduler);
    open.add(c);
    c.awaitSubscribed(Duration.ofSeconds(20));
    return c;
  }

  @Test
  void aGangIsHeldWhileAnAgentIsTakenThenOfferedTogether() throws Exception {
    Filler filler = filler();
    GangFramework scheduler = new GangFramework();
    SchedulerClient client = gangClient(scheduler);
    client.request(List.of(new SchedulerCall.Demand("workers", "g", "cpus:4;mem:4096", 3,
        List.of(List.of("hostname", "UNIQUE")), new SchedulerCall.Gang(3, null, SchedulerCall.GangMode.HARD))));

    Predicate<JsonNode> held = d -> d.path("state").asText().equals("HELD") && d.path("held").size() == 2;
    await("the gang holds the two free agents", () -> held.test(framework(client.frameworkId()).path("demands").get(0)));
    JsonNode d = framework(client.frameworkId()).path("demands").get(0);
    assertEquals(2, d.path("membersFitting").asInt(), d.toString());
    assertTrue(d.path("reason").asText().contains("2 of 3 members fit now"), d.toString());
    String metrics = get("/metrics");
    assertTrue(metrics.contains("trellis_gang_held{resource=\"cpus\",role=\"g\"} 8.0"), metrics);
    assertTrue(metrics.contains("trellis_gangs{state=\"HELD\"} 1.0"), metrics);
    assertTrue(scheduler.gangOffers.isEmpty(), "nothing offered before all three fit");

    HttpResponse<String> r = post("/api/v1/scheduler", Json.mapper().writeValueAsString(
        SchedulerCall.decline(filler.stream().frameworkId(), List.of(filler.kept()), 3600.0)),
        Map.of("Trellis-Stream-Id", filler.stream().streamId()));
    assertEquals(202, r.statusCode(), r.body());

    List<OfferInfo> together = scheduler.gangOffers.poll(20, TimeUnit.SECONDS);
    assertNotNull(together, "the gang was not offered");
    assertEquals(3, together.size(), "all three members in one OFFERS event: " + together);
    assertTrue(together.stream().allMatch(o -> o.gang().equals("workers")));
    assertEquals(3, together.stream().map(OfferInfo::hostname).distinct().count());
    await("the state shows the gang offered",
        () -> framework(client.frameworkId()).path("demands").get(0).path("state").asText().equals("OFFERED"));
  }

  @Test
  void aHardGangThatCannotCompleteFailsWithAGangEventSayingWhy() throws Exception {
    filler();
    GangFramework scheduler = new GangFramework();
    SchedulerClient client = gangClient(scheduler);
    client.request(List.of(new SchedulerCall.Demand("all", "g", "cpus:4;mem:4096", 3,
        List.of(List.of("hostname", "UNIQUE")), new SchedulerCall.Gang(3, 1.0, SchedulerCall.GangMode.HARD))));

    SchedulerEvent.GangUpdate failed = scheduler.gangEvents.poll(20, TimeUnit.SECONDS);

    assertNotNull(failed, "no GANG event");
    assertEquals("all", failed.demandId());
    assertEquals(GangState.FAILED, failed.state());
    assertEquals(2, failed.membersFitting());
    assertTrue(failed.reason().contains("waited 1 s") && failed.reason().contains("2 of 3 members fit"), failed.reason());
    assertTrue(scheduler.gangOffers.isEmpty());
    JsonNode d = framework(client.frameworkId()).path("demands").get(0);
    assertEquals("FAILED", d.path("state").asText());
    assertEquals(0, d.path("held").size(), "a failed gang holds nothing");
    assertTrue(get("/metrics").contains("trellis_gang_wait_seconds_count{outcome=\"failed\"} 1"));
  }

  @Test
  void theClientLibraryReportsARefusedRequest() throws Exception {
    SchedulerClient client = gangClient(new GangFramework());
    TrellisApiException e = org.junit.jupiter.api.Assertions.assertThrows(TrellisApiException.class,
        () -> client.request(List.of(new SchedulerCall.Demand("x", "other", "cpus:1", 1, null, null))));
    assertEquals(422, e.status());
    assertTrue(e.getMessage().contains("request.demands[0].role"), e.getMessage());
  }
}
