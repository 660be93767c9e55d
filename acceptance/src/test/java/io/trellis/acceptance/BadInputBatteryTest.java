package io.trellis.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.acceptance.BadInputs.Case;
import io.trellis.acceptance.BadInputs.Server;
import io.trellis.acceptance.RawHttp.Answer;
import io.trellis.api.Json;
import io.trellis.testkit.LocalJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One {@code trellis local} (ZooKeeper, master, agent, services, jobs) takes the whole battery of
 * {@link BadInputs} on every HTTP API: every answer is a 4xx with a JSON message (naming the
 * field where one applies) and no Java class or stack trace; afterwards nothing stored has
 * changed, and a good app and a good job still launch and run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputBatteryTest {
  /** A Java class or package name, a stack frame, a parser's internals: what an answer must never show. */
  private static final Pattern INTERNALS = Pattern.compile(
      "\\b(java|javax|jakarta|com\\.fasterxml|org\\.glassfish|org\\.apache|io\\.trellis)\\.[a-z]+\\.|\\bat [a-z]+\\.[a-z]+\\."
      + "|Exception\\b|\\$\\.null|\\[Source:|[A-Z_]{12,} (disabled|to allow)");

  private static Path root;
  private static LocalJvm local;
  private static Map<Server, String> endpoints;
  private static List<String> storedBefore;

  @BeforeAll
  static void startAndStore() throws Exception {
    root = Files.createTempDirectory("trellis-battery-");
    local = LocalJvm.onFreePorts(root.resolve("data")).start();
    local.awaitUp(Duration.ofSeconds(90));
    // The cluster is closed: the battery is the admin's, so what it meets is each API's own validation.
    RawHttp.authorize(local.authorization());
    endpoints = Map.of(Server.MASTER, "127.0.0.1:" + local.masterPort, Server.AGENT, "127.0.0.1:" + local.agentPort,
        Server.SERVICES, "127.0.0.1:" + local.servicesPort, Server.JOBS, "127.0.0.1:" + local.jobsPort);
    await(Server.SERVICES, "/health", a -> a.status() == 200, Duration.ofSeconds(60));
    await(Server.JOBS, "/v1/scheduler/leader", a -> a.status() == 200 && a.body().contains("\"recovered\":true"),
        Duration.ofSeconds(60));
    // Stored state the battery aims at: apps b <- a (a depends on b), jobs battery-parent <- battery-child, a role.
    expect(201, Server.SERVICES, "POST", "/v2/apps", BadInputs.app("/battery/b", null, null));
    expect(201, Server.SERVICES, "POST", "/v2/apps", BadInputs.app("/battery/a", "dependencies", "[\"/battery/b\"]"));
    expect(204, Server.JOBS, "POST", "/v1/scheduler/iso8601", BadInputs.job("battery-parent", null, null));
    expect(204, Server.JOBS, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"battery-child\",\"command\":\"true\",\"parents\":[\"battery-parent\"],\"cpus\":0.1,\"mem\":16}");
    expect(200, Server.MASTER, "PUT", "/api/v1/roles/battery-role", "{\"weight\":3}");
    storedBefore = stored();
  }

  @AfterAll
  static void stop() throws Exception {
    RawHttp.authorize(null);
    if (local != null) {
      local.close();
    }
    // Tasks outlive a stopped local cluster by design; the good app's is this run's to end.
    String marker = root.getFileName().toString();
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  @Order(1)
  @TestFactory
  Stream<DynamicTest> everyBadInputIsA4xxNamingTheProblem() {
    return BadInputs.all().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
  }

  private static void check(Case c) throws Exception {
    Answer a = RawHttp.send(endpoints.get(c.server()), c.method(), c.target(), c.body(), c.headers());
    if (Boolean.getBoolean("trellis.battery.show")) { // -Dtrellis.battery.show=true lists every answer
      System.out.println(c + " -> " + a);
    }
    assertTrue(a.status() >= 400 && a.status() < 500, c + " -> " + a);
    assertFalse(INTERNALS.matcher(a.body()).find(), c + " shows internals: " + a);
    JsonNode body;
    try {
      body = Json.mapper().readTree(a.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(c + " -> not a JSON body: " + a);
    }
    assertTrue(body != null && body.path("message").asText().length() > 0, c + " -> no message: " + a);
    if (c.mustName() != null && a.status() != 413) { // a body refused for its size is named as a whole
      assertTrue(a.body().contains(c.mustName()), c + " -> does not name '" + c.mustName() + "': " + a);
    }
  }

  @Order(2)
  @Test
  void nothingStoredChanged() throws Exception {
    assertEquals(storedBefore, stored());
  }

  @Order(3)
  @Test
  void aGoodAppAndAGoodJobStillRun() throws Exception {
    expect(201, Server.SERVICES, "POST", "/v2/apps",
        "{\"id\":\"/battery/good\",\"cmd\":\"sleep 600 # " + root.getFileName() + "\",\"cpus\":0.1,\"mem\":16,\"instances\":1}");
    expect(204, Server.JOBS, "POST", "/v1/scheduler/iso8601", BadInputs.job("battery-good", null, null));
    expect(204, Server.JOBS, "PUT", "/v1/scheduler/job/battery-good", "");
    await(Server.SERVICES, "/v2/apps//battery/good", a -> a.body().contains("\"tasksRunning\":1"), Duration.ofSeconds(60));
    await(Server.JOBS, "/v1/scheduler/job/battery-good/history", a -> a.body().contains("\"state\":\"SUCCEEDED\""),
        Duration.ofSeconds(60));
    expect(200, Server.SERVICES, "DELETE", "/v2/apps//battery/good", "");
  }

  /**
   * Random and mutated documents ({@link Fuzz}) on every API that takes one: none gets a 5xx or
   * shows internals, and none that is refused changes what is stored. What is accepted is removed
   * again. {@code -Dtrellis.fuzz.count} (default 300) and {@code -Dtrellis.fuzz.seed} (default 15).
   */
  @Order(4)
  @Test
  void fuzzedDocumentsNeverGetA5xxAndWhenRefusedChangeNothing() throws Exception {
    int count = Integer.getInteger("trellis.fuzz.count", 300);
    long seed = Long.getLong("trellis.fuzz.seed", 15L);
    Fuzz fuzz = new Fuzz(seed);
    List<String> stored = settled();
    int accepted = 0;
    List<String> broken = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 1; i <= count; i++) {
      Fuzz.Input in = fuzz.next();
      Answer a = RawHttp.send(endpoints.get(in.server()), in.method(), in.target(), in.body());
      String what = "#" + i + " " + in.kind() + " " + in.server() + " " + in.method() + " " + in.target() + ": "
          + new String(in.body(), 0, Math.min(300, in.body().length), StandardCharsets.UTF_8) + " -> " + a.status() + " "
          + a.body().substring(0, Math.min(300, a.body().length()));
      if (a.status() >= 500 || INTERNALS.matcher(a.body()).find()) {
        broken.add(what);
        System.out.println("fuzz: broken " + what);
      } else if (a.status() < 300) {
        accepted++;
        removeFuzzed();
        stored = settled();
      } else if (!stored().equals(stored)) {
        broken.add("refused but stored: " + what);
        System.out.println("fuzz: broken, refused but stored: " + what);
        stored = stored();
      }
      if (i % 1000 == 0) {
        System.out.printf("fuzz: %d of %d tried, %d accepted, %d broken%n", i, count, accepted, broken.size());
      }
    }
    System.out.printf("fuzz: %d documents tried (seed %d) in %d s: %d accepted and removed, %d refused with a 4xx, "
        + "%d broken (5xx, internals shown, or refused yet stored)%n", count, seed,
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), accepted, count - accepted - broken.size(), broken.size());
    assertTrue(broken.isEmpty(), broken.size() + " broken:\n" + String.join("\n", broken.subList(0, Math.min(20, broken.size()))));
  }

  /** Removes what an accepted fuzzed document created: apps, groups and jobs named fuzz. */
  private static void removeFuzzed() throws Exception {
    for (JsonNode app : get(Server.SERVICES, "/v2/apps").path("apps")) {
      String id = app.path("id").asText();
      if (!id.startsWith("/battery")) {
        RawHttp.send(endpoints.get(Server.SERVICES), "DELETE", "/v2/apps/" + encode(id) + "?force=true", new byte[0]);
      }
    }
    for (JsonNode group : get(Server.SERVICES, "/v2/groups").path("groups")) {
      String id = group.path("id").asText();
      if (!id.startsWith("/battery")) {
        RawHttp.send(endpoints.get(Server.SERVICES), "DELETE", "/v2/groups/" + encode(id) + "?force=true", new byte[0]);
      }
    }
    for (JsonNode job : get(Server.JOBS, "/v1/scheduler/jobs")) {
      String name = job.path("name").asText();
      if (!name.startsWith("battery")) {
        RawHttp.send(endpoints.get(Server.JOBS), "DELETE", "/v1/scheduler/job/" + encode(name), new byte[0]);
      }
    }
  }

  /** What is stored once no deployment runs (an app's removal ends after its answer). */
  private static List<String> settled() throws Exception {
    await(Server.SERVICES, "/v2/deployments", a -> a.body().strip().equals("[]"), Duration.ofSeconds(60));
    return stored();
  }

  private static String encode(String path) {
    return java.net.URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  /** What the cluster stores: apps with their versions, groups, jobs and roles. */
  private static List<String> stored() throws Exception {
    List<String> state = new ArrayList<>();
    for (JsonNode app : get(Server.SERVICES, "/v2/apps").path("apps")) {
      state.add("app " + app.path("id").asText() + " " + app.path("version").asText() + " " + app.path("cmd").asText()
          + " " + app.path("cpus").asText() + " " + app.path("dependencies"));
    }
    state.add("groups " + get(Server.SERVICES, "/v2/groups"));
    for (JsonNode job : get(Server.JOBS, "/v1/scheduler/jobs")) {
      state.add("job " + job);
    }
    state.add("roles " + get(Server.MASTER, "/api/v1/roles"));
    return state;
  }

  private static JsonNode get(Server server, String path) throws Exception {
    Answer a = RawHttp.send(endpoints.get(server), "GET", path, new byte[0]);
    assertEquals(200, a.status(), "GET " + path + " -> " + a);
    return Json.mapper().readTree(a.body());
  }

  private static void expect(int status, Server server, String method, String path, String body) throws Exception {
    Answer a = RawHttp.send(endpoints.get(server), method, path, body.getBytes(StandardCharsets.UTF_8));
    assertEquals(status, a.status(), method + " " + path + " -> " + a);
  }

  private static void await(Server server, String path, Predicate<Answer> done, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Answer last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = RawHttp.send(endpoints.get(server), "GET", path, new byte[0]);
        if (done.test(last)) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // Not listening yet.
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(server + " " + path + " not as awaited within " + timeout + ": " + last);
  }
}
