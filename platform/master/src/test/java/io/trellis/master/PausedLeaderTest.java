package io.trellis.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * A leader paused past its ZooKeeper session (SIGSTOP, as a long GC or a frozen VM) while a new
 * leader takes over: when it resumes it neither serves state as leader nor marks the agent it
 * has not heard from unreachable, even before ZooKeeper's notice of its lost session arrives.
 * A real ZooKeeper, a master in a process of its own, and a second master.
 */
class PausedLeaderTest {
  private static final long SESSION_MS = 2_000;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(String endpoint, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean leads(String endpoint) {
    try {
      return Json.mapper().readTree(get(endpoint, "/health").body()).path("leading").asBoolean();
    } catch (Exception e) {
      return false;
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 30 s");
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
  }

  @Test
  void aLeaderResumingAfterItsSessionExpiredNeitherServesNorMarksAgentsUnreachable() throws Exception {
    Path log = Files.createTempFile("trellis-paused-leader-", ".log");
    // A short tick, so that ZooKeeper grants the 2 s session asked for.
    try (TestingServer zk = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          ChildMaster.class.getName(), zkSpec, Long.toString(SESSION_MS), "3000")
          .redirectErrorStream(true).start();
      MasterProcess second = null;
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && !line.startsWith("ENDPOINT ")) {
          line = out.readLine();
        }
        assertTrue(line != null, "the child master did not start");
        String first = line.substring("ENDPOINT ".length());
        CompletableFuture.runAsync(() -> out.lines().forEach(l -> append(log, l)));
        await("the child master leads", () -> leads(first));
        HttpResponse<String> reg = http.send(HttpRequest.newBuilder(URI.create("http://" + first
            + "/internal/agents/register")).POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(
            new AgentProtocol.Register(null, "127.0.0.1", "127.0.0.1:1", "cpus:1;mem:64", Map.of(), List.of()))))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reg.statusCode(), reg.body());

        signal(child, "STOP");
        second = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
            .withZkSessionTimeout(Duration.ofMillis(SESSION_MS)), zkSpec);
        MasterProcess next = second;
        await("the second master leads", next::isLeader);
        // Calls queued while the first master is stopped are the first it sees when it resumes.
        List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          queued.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://" + first + "/api/v1/state"))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        TimeUnit.MILLISECONDS.sleep(300);
        signal(child, "CONT");

        for (CompletableFuture<HttpResponse<String>> f : queued) {
          HttpResponse<String> r = f.get(40, TimeUnit.SECONDS);
          assertNotEquals(200, r.statusCode(), "the deposed master served its state: " + r.body());
        }
        await("the resumed master knows it does not lead", () -> !leads(first));
        TimeUnit.MILLISECONDS.sleep(1_500); // its periodic checks had their chance to act
        String logged = Files.readString(log);
        assertFalse(logged.contains("marking it unreachable"), "the deposed master acted:\n" + logged);
        assertTrue(second.isLeader(), "the new leader still leads");
      } finally {
        child.destroyForcibly().waitFor();
        if (second != null) {
          second.close();
        }
        Files.deleteIfExists(log);
      }
    }
  }

  private static void append(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
