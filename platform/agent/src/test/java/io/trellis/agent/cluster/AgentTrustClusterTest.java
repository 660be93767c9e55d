package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.Json;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.signing.ClusterKey;
import io.trellis.security.signing.RequestSigner;
import io.trellis.security.signing.SignedCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Only the leading master can make an agent act, and the tasks it runs cannot take the host. A
 * real ZooKeeper, a master signing with the cluster key, an agent holding the same key, running
 * tasks as {@code nobody}: calls made to the agent directly without a signature, with a wrong
 * one, replayed, late, altered or naming a deposed leader's epoch are refused and run nothing.
 */
class AgentTrustClusterTest {
  private static final String RESOURCES = "cpus:2;mem:1024";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Path dir;
  private static ClusterKey key;
  private static TestingServer zk;
  private static MasterProcess master;
  private static AgentProcess agent;
  private static MasterDetector detector;
  private static SchedulerClient framework;
  private static final QueuedFramework queue = new QueuedFramework();

  @BeforeAll
  static void start() throws Exception {
    assertEquals("root", System.getProperty("user.name"),
        "switching a task's user needs an agent running as root: run these tests as root (CI does)");
    dir = Files.createTempDirectory("trellis-trust-test-");
    // Tasks run as nobody: the sandboxes must be reachable for that user.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    key = ClusterKey.readOrCreate(dir.resolve("security").resolve(ClusterKey.FILE));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("security").resolve(ClusterKey.FILE))));
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec, key);
    agent = AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(RESOURCES)
        .withSettings(Map.of(AgentConfig.CLUSTER_KEY_FILE, dir.resolve("security").resolve(ClusterKey.FILE).toString(),
            AgentConfig.TASK_USER, "nobody")),
        Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
    framework = SchedulerClient.start(detector, new FrameworkInfo(null, "trust", "test", List.of("*"), 60.0, null),
        queue);
    framework.awaitSubscribed(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {framework, detector, agent, master, zk}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** Runs {@code script} as one task through the master; returns its sandbox once it ended. */
  private static Path runThroughMaster(String taskId, String user, String script) throws Exception {
    OfferInfo offer = queue.nextOffer();
    framework.accept(List.of(offer.id()), List.of(new TaskSpec(taskId, taskId, offer.agentId(), "cpus:0.1;mem:32",
        new CommandSpec(script, true, List.of(), Map.of(), user), Map.of(), 1.0, null)), 0.0);
    TaskStatus end = queue.await(taskId, TaskState.FINISHED, TaskState.FAILED, TaskState.LOST, TaskState.ERROR);
    assertEquals(TaskState.FINISHED, end.state(), "the master's signed launch ran: " + end);
    return dir.resolve("agent/tasks").resolve(framework.frameworkId()).resolve(taskId).resolve("sandbox");
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }

  @Test
  void aTaskRunsAsNobodyCannotReadShadowNorWriteOutsideItsSandbox() throws Exception {
    Path sandbox = runThroughMaster("default-user", null, String.join("; ",
        "id -un > who",
        "cat /etc/shadow > shadow 2>&1; echo $? > shadow-rc",
        "touch " + dir.resolve("agent") + "/pwned 2> /dev/null; echo $? > write-rc",
        "echo to-stdout"));
    assertEquals("nobody", read(sandbox.resolve("who")));
    assertNotEquals("0", read(sandbox.resolve("shadow-rc")), read(sandbox.resolve("shadow")));
    assertTrue(read(sandbox.resolve("shadow")).contains("Permission denied"), read(sandbox.resolve("shadow")));
    assertNotEquals("0", read(sandbox.resolve("write-rc")));
    assertFalse(Files.exists(dir.resolve("agent/pwned")));
    assertEquals("to-stdout", read(sandbox.resolve("stdout")), "stdout is still collected");
  }

  @Test
  void aLinkInASandboxIsNeverFollowedToOutsideIt() throws Exception {
    runThroughMaster("links", null, "ln -s /etc/shadow leak; ln -s / everything; mkdir -p logs; echo kept > logs/app.log");
    String base = "http://" + agent.endpoint() + "/files/";
    String task = "framework=" + framework.frameworkId() + "&task=links";
    for (String file : List.of("leak", "everything/etc/shadow")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "read?" + task + "&file=" + file)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), file + ": " + r.body());
      assertTrue(r.body().contains("outside the task's sandbox"), r.body());
      assertFalse(r.body().contains("root:"), r.body());
    }
    HttpResponse<String> kept = HTTP.send(HttpRequest.newBuilder(URI.create(base + "read?" + task + "&file=logs/app.log"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, kept.statusCode(), kept.body());
    assertEquals("kept\n", Json.mapper().readTree(kept.body()).path("data").asText());
    var listed = Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create(base + "browse?" + task)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    java.util.Map<String, Boolean> links = new java.util.HashMap<>();
    listed.forEach(f -> links.put(f.path("path").asText(), f.path("link").asBoolean()));
    assertEquals(Boolean.TRUE, links.get("leak"), listed.toString());
    assertEquals(Boolean.TRUE, links.get("everything"), listed.toString());
    assertEquals(Boolean.FALSE, links.get("logs/app.log"), listed.toString());
    assertFalse(links.keySet().stream().anyMatch(p -> p.startsWith("everything/")), "links are not walked into: " + listed);
  }

  @Test
  void aTasksCommandHealthCheckRunsAsTheTasksUser() throws Exception {
    OfferInfo offer = queue.nextOffer();
    TaskSpec task = new TaskSpec("checked", "checked", offer.agentId(), "cpus:0.1;mem:32", CommandSpec.shell("sleep 600"),
        Map.of(), 1.0, null, List.of(new io.trellis.api.HealthCheckSpec("COMMAND", null, null,
            "id -un > checked-by", 0, 0.2, 5, 3, 0)));
    framework.accept(List.of(offer.id()), List.of(task), 0.0);
    TaskStatus healthy = queue.await("checked", TaskState.RUNNING);
    while (healthy.healthy() == null) {
      healthy = queue.await("checked", TaskState.RUNNING, TaskState.FAILED);
    }
    assertEquals(Boolean.TRUE, healthy.healthy(), healthy.toString());
    Path sandbox = dir.resolve("agent/tasks").resolve(framework.frameworkId()).resolve("checked").resolve("sandbox");
    assertEquals("nobody", read(sandbox.resolve("checked-by")), "the check ran as the task's user, not as root");
    framework.kill("checked", offer.agentId());
  }

  @Test
  void aTaskAskingForRootRunsAsRoot() throws Exception {
    Path sandbox = runThroughMaster("as-root", "root", "id -un > who");
    assertEquals("root", read(sandbox.resolve("who")));
  }

  @Test
  void aTaskAskingForAUserThatDoesNotExistFailsSayingSo() throws Exception {
    OfferInfo offer = queue.nextOffer();
    framework.accept(List.of(offer.id()), List.of(new TaskSpec("ghost", "ghost", offer.agentId(), "cpus:0.1;mem:32",
        new CommandSpec("true", true, List.of(), Map.of(), "no-such-user-x"), Map.of(), 1.0, null)), 0.0);
    TaskStatus end = queue.await("ghost", TaskState.FINISHED, TaskState.FAILED, TaskState.ERROR);
    assertEquals(TaskState.FAILED, end.state());
    assertTrue(end.message().contains("no-such-user-x") && end.message().contains("no such user"), end.message());
  }

  private static HttpResponse<String> post(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + agent.endpoint() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> signed(RequestSigner signer, String path, String epoch, String body) {
    Map<String, String> h = new java.util.HashMap<>(signer.sign("POST", path, epoch, body.getBytes(StandardCharsets.UTF_8))
        .asMap());
    h.put(AgentProtocol.EPOCH_HEADER, epoch);
    return h;
  }

  private static String launch(String taskId, Path marker) throws Exception {
    return Json.mapper().writeValueAsString(new AgentProtocol.Launch("made-up-framework", "*",
        new TaskSpec(taskId, taskId, agent.agentId(), "cpus:0.1;mem:16",
            new CommandSpec("touch " + marker, true, List.of(), Map.of(), "root"), Map.of(), 1.0, null)));
  }

  private static long epoch() throws Exception {
    return Json.mapper().readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
        + "/api/v1/state")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("epoch").asLong();
  }

  private static void assertRefused(int status, HttpResponse<String> r, String says) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = Json.mapper().readTree(r.body());
    assertTrue(body.path("message").asText().contains(says), r.body());
  }

  @Test
  void callsToTheAgentThatTheLeaderDidNotSignAreRefusedAndRunNothing() throws Exception {
    Path marker = dir.resolve("ran");
    String path = "/internal/tasks/launch";
    String body = launch("forged", marker);
    String epoch = Long.toString(epoch());

    assertRefused(401, post(path, body, Map.of(AgentProtocol.EPOCH_HEADER, epoch)), "not signed");
    assertRefused(401, post("/internal/tasks/launches", "{\"launches\":[" + body + "]}", Map.of()), "not signed");
    assertRefused(401, post("/internal/tasks/kill", "{\"frameworkId\":\"f\",\"taskId\":\"t\"}", Map.of()),
        "not signed");
    assertRefused(401, post("/internal/tasks/kills", "{\"kills\":[{\"frameworkId\":\"f\",\"taskId\":\"t\"}]}", Map.of()),
        "not signed");
    RequestSigner stranger = new RequestSigner(ClusterKey.random());
    assertRefused(401, post(path, body, signed(stranger, path, epoch, body)), "bad signature");

    RequestSigner leader = new RequestSigner(key);
    Map<String, String> altered = signed(leader, path, epoch, body);
    assertRefused(401, post(path, body.replace("touch", "rm -f"), altered), "bad signature");
    Map<String, String> otherPath = signed(leader, "/internal/tasks/kill", epoch, body);
    assertRefused(401, post(path, body, otherPath), "bad signature");
    RequestSigner late = new RequestSigner(key, InstantSource.fixed(Instant.now().minusSeconds(120)));
    assertRefused(401, post(path, body, signed(late, path, epoch, body)), "window");
    Map<String, String> noEpoch = new java.util.HashMap<>(leader.sign("POST", path, null,
        body.getBytes(StandardCharsets.UTF_8)).asMap());
    assertRefused(403, post(path, body, noEpoch), "epoch");
    Map<String, String> stale = signed(leader, path, Long.toString(Long.parseLong(epoch) - 1), body);
    assertRefused(409, post(path, body, stale), "deposed");

    // A signed call of the leader is taken once; the same call again is a replay.
    String replayBody = launch("signed-once", dir.resolve("replayed"));
    Map<String, String> good = signed(leader, path, epoch, replayBody);
    assertEquals(202, post(path, replayBody, good).statusCode());
    assertRefused(401, post(path, replayBody, good), "replayed");

    // The master knows no such framework and has the agent kill the task soon after: what shows
    // that the agent took the signed launch is its checkpoint, which refused calls never get.
    Path tasks = dir.resolve("agent/tasks/made-up-framework");
    assertTrue(Files.exists(tasks.resolve("signed-once/launch.json")), "the signed launch reached the agent");
    assertFalse(Files.exists(tasks.resolve("forged")), "no refused launch reached the agent");
    assertFalse(Files.exists(marker), "no refused launch ran");
  }

  @Test
  void theHeadersNameTheSignatureScheme() {
    RequestSigner signer = new RequestSigner(key);
    SignedCall.Headers h = signer.sign("POST", "/x", "1", new byte[0]);
    assertTrue(h.signature().startsWith("HMAC-SHA256 "), h.signature());
  }
}
