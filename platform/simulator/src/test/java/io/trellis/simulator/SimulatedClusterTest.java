package io.trellis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A thousand simulated agents against a real master (with a real ZooKeeper): they register, a
 * framework on the client library gets their offers and launches tasks that reach RUNNING, one
 * per host; tasks finish, fail and are killed as asked, and every update is acknowledged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedClusterTest {
  private static final int AGENTS = 1000;
  private static final String RESOURCES = "cpus:8;mem:32768;ports:[31000-32000]";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestingServer zk;
  private MasterProcess master;
  private SimulatedCluster sim;
  private MasterDetector detector;
  private SchedulerClient framework;
  private final ConcurrentLinkedQueue<TaskSpec> toLaunch = new ConcurrentLinkedQueue<>();
  /** Hostnames already holding a task: the framework places at most one task per host. */
  private final Set<String> usedHosts = ConcurrentHashMap.newKeySet();
  private final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  private final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
  private final Map<String, String> hostOfTask = new ConcurrentHashMap<>();

  @BeforeAll
  void start() throws Exception {
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    long begin = System.nanoTime();
    sim = SimulatedCluster.start(SimulatorConfig.of(zkSpec, AGENTS, RESOURCES)
        .withAttributes(n -> Map.of("rack", "r" + (n % 10))));
    sim.awaitRegistered(Duration.ofMinutes(3));
    System.out.printf("simulator: %d agents registered in %.2f s%n", AGENTS, (System.nanoTime() - begin) / 1e9);
    detector = MasterDetectors.from(zkSpec);
    framework = SchedulerClient.start(detector, new FrameworkInfo(null, "sim-test", "test", List.of("*"), 600.0, null),
        new Scheduler() {
          @Override
          public void offers(SchedulerClient c, List<OfferInfo> offers) {
            List<String> decline = new ArrayList<>();
            for (OfferInfo o : offers) {
              TaskSpec next = toLaunch.peek();
              if (next != null && usedHosts.add(o.hostname())) {
                toLaunch.poll();
                hostOfTask.put(next.taskId(), o.hostname());
                c.accept(List.of(o.id()), List.of(next), 0.0);
              } else {
                decline.add(o.id());
              }
            }
            if (!decline.isEmpty()) {
              c.decline(decline, 0.5);
            }
          }

          @Override
          public void update(SchedulerClient c, TaskStatus s) {
            updates.add(s);
            latest.put(s.taskId(), s);
          }
        });
    framework.awaitSubscribed(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() throws Exception {
    if (framework != null) {
      framework.close();
    }
    if (detector != null) {
      detector.close();
    }
    if (sim != null) {
      sim.close();
    }
    if (master != null) {
      master.close();
    }
    if (zk != null) {
      zk.close();
    }
  }

  private static TaskSpec task(String id, Map<String, String> labels) {
    return new TaskSpec(id, id, null, "cpus:1;mem:1024;ports:[31000-31000]", CommandSpec.shell("serve"), labels, null, null);
  }

  private static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private JsonNode state() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/api/v1/state"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return Json.mapper().readTree(r.body());
  }

  @Test
  void theMasterSeesEveryAgentWithItsHostnameResourcesAndAttributes() throws Exception {
    JsonNode agents = state().path("agents");
    assertEquals(AGENTS, agents.size());
    Set<String> hostnames = new HashSet<>();
    for (JsonNode a : agents) {
      assertTrue(a.path("reachable").asBoolean(), a.toString());
      assertEquals(RESOURCES, a.path("total").asText());
      String host = a.path("hostname").asText();
      hostnames.add(host);
      int n = Integer.parseInt(host.substring("sim-".length()));
      assertEquals("r" + (n % 10), a.path("attributes").path("rack").asText());
    }
    assertEquals(AGENTS, hostnames.size());
  }

  @Test
  void aFrameworkLaunchesOneTaskPerHostOnHundredsOfAgentsAndTheyRun() throws Exception {
    int n = 300;
    long begin = System.nanoTime();
    for (int i = 0; i < n; i++) {
      toLaunch.add(task("spread-" + i, Map.of()));
    }
    framework.revive(List.of());
    await(n + " tasks RUNNING", () -> latest.values().stream()
        .filter(s -> s.taskId().startsWith("spread-") && s.state() == TaskState.RUNNING).count() == n,
        Duration.ofMinutes(2));
    System.out.printf("simulator: %d tasks launched and RUNNING in %.2f s%n", n, (System.nanoTime() - begin) / 1e9);
    Set<String> agents = new HashSet<>();
    for (int i = 0; i < n; i++) {
      agents.add(latest.get("spread-" + i).agentId());
    }
    assertEquals(n, agents.size(), "one task per agent");
    assertTrue(sim.running() >= n, "running " + sim.running());
    assertTrue(sim.launched() >= n, "launched " + sim.launched());
    assertTrue(hostOfTask.get("spread-0").startsWith("sim-"), hostOfTask.toString());
    await("every update acknowledged", () -> sim.unacknowledged() == 0, Duration.ofMinutes(1));
  }

  @Test
  void tasksFinishFailAndAreKilledAsAsked() throws Exception {
    long finishedBefore = sim.finished();
    long failedBefore = sim.failed();
    long killedBefore = sim.killed();
    toLaunch.add(task("finishes", Map.of(Behaviour.END_LABEL, "finish", Behaviour.AFTER_LABEL, "0.2")));
    toLaunch.add(task("fails", Map.of(Behaviour.END_LABEL, "fail", Behaviour.AFTER_LABEL, "0.1")));
    toLaunch.add(task("never-starts", Map.of(Behaviour.END_LABEL, "fail-at-launch")));
    toLaunch.add(task("bad-label", Map.of(Behaviour.END_LABEL, "explode")));
    toLaunch.add(task("killed", Map.of()));
    framework.revive(List.of());

    await("finishes FINISHED", () -> state("finishes") == TaskState.FINISHED, Duration.ofMinutes(1));
    assertEquals(0, latest.get("finishes").exitCode());
    await("fails FAILED", () -> state("fails") == TaskState.FAILED, Duration.ofMinutes(1));
    await("never-starts FAILED", () -> state("never-starts") == TaskState.FAILED, Duration.ofMinutes(1));
    assertTrue(updates.stream().noneMatch(s -> s.taskId().equals("never-starts") && s.state() == TaskState.RUNNING),
        "a launch failure never runs");
    await("bad-label FAILED", () -> state("bad-label") == TaskState.FAILED, Duration.ofMinutes(1));
    assertEquals("label simulator.end must be finish, fail, fail-at-launch or never, got 'explode'",
        latest.get("bad-label").message());
    await("killed RUNNING", () -> state("killed") == TaskState.RUNNING, Duration.ofMinutes(1));
    framework.kill("killed", latest.get("killed").agentId());
    await("killed KILLED", () -> state("killed") == TaskState.KILLED, Duration.ofMinutes(1));

    assertEquals(finishedBefore + 1, sim.finished());
    assertEquals(failedBefore + 3, sim.failed());
    assertEquals(killedBefore + 1, sim.killed());
    await("every update acknowledged", () -> sim.unacknowledged() == 0, Duration.ofMinutes(1));
  }

  private TaskState state(String taskId) {
    TaskStatus s = latest.get(taskId);
    return s == null ? null : s.state();
  }

  @Test
  void theAgentsEndpointsAnswerBadCallsWithJsonErrors() throws Exception {
    // Each call on a fresh connection: the simulator's server closes idle connections beyond a
    // few hundred, which the master's burst of launches leaves behind, and a POST on a pooled
    // connection it closed is not retried.
    java.util.function.Supplier<HttpClient> fresh = () -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://" + sim.endpoint(7);
    assertTrue(base.endsWith("/agents/7"), base);
    HttpResponse<String> unparsable = fresh.get().send(HttpRequest.newBuilder(URI.create(base + "/internal/tasks/launch"))
        .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, unparsable.statusCode());
    assertTrue(unparsable.body().contains("unparsable Launch"), unparsable.body());
    String unknown = sim.endpoint(0).replace("/agents/0", "/agents/" + AGENTS);
    HttpResponse<String> missing = fresh.get().send(HttpRequest.newBuilder(URI.create("http://" + unknown + "/internal/tasks/kill"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("no simulated agent " + AGENTS), missing.body());
    HttpResponse<String> get = fresh.get().send(HttpRequest.newBuilder(URI.create(base + "/internal/tasks/kill")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertThrows(IllegalArgumentException.class, () -> sim.endpoint(AGENTS));
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    IllegalArgumentException r = assertThrows(IllegalArgumentException.class,
        () -> SimulatorConfig.of("127.0.0.1:1", 10, "cpus:lots"));
    assertTrue(r.getMessage().contains("'cpus:lots'"), r.getMessage());
    IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
        () -> SimulatorConfig.of("127.0.0.1:1", 0, "cpus:1"));
    assertTrue(n.getMessage().contains("got 0"), n.getMessage());
    assertNull(Behaviour.runForever().end());
  }
}
