package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.jobs.framework.JobsFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The jobs framework on a real cluster: real ZooKeeper, master, agent and shell commands. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsClusterTest {
  private static final java.util.logging.Logger JERSEY = java.util.logging.Logger.getLogger("org.glassfish");

  static {
    JERSEY.setLevel(java.util.logging.Level.SEVERE);
  }

  private Cluster cluster;
  private JobsFramework jobs;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster("cpus:8;mem:8192;disk:10000");
    jobs = cluster.startLeadingJobs();
    api = new Api(jobs.endpoint());
  }

  @AfterAll
  void stop() throws Exception {
    Cluster.closeAll(jobs, cluster);
  }

  private static String job(String name, String schedule, String command, String extra) {
    return "{\"name\":\"" + name + "\",\"schedule\":\"" + schedule + "\",\"command\":\"" + command.replace("\"", "\\\"")
        + "\",\"cpus\":0.1,\"mem\":32" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  @Test
  void aRepeatingJobRunsRealCommandsOnTheAgentSlotAfterSlot() throws Exception {
    Path out = cluster.dir.resolve("repeating.txt");
    api.post("/v1/scheduler/iso8601", job("repeating", "R//PT2S", "echo $TRELLIS_JOB_SLOT >> " + out, ""));
    JsonNode runs = api.awaitHistory("repeating", h -> Api.count(h, "SUCCEEDED") >= 5, Duration.ofSeconds(90));
    List<String> lines = Files.readAllLines(out);
    assertTrue(lines.size() >= 5, "lines " + lines);
    assertEquals(lines.size(), lines.stream().distinct().count(), "each slot ran once: " + lines);
    for (int i = 1; i < lines.size(); i++) {
      assertEquals(Duration.ofSeconds(2), Duration.between(Instant.parse(lines.get(i - 1)), Instant.parse(lines.get(i))),
          "slots two seconds apart: " + lines);
    }
    for (JsonNode r : runs) {
      if (r.path("state").asText().equals("SUCCEEDED")) {
        assertEquals(0, r.path("exitStatus").asInt());
        assertEquals(1, r.path("attempts").asInt());
        assertTrue(r.path("agentId").asText().length() > 0);
      }
    }
    JsonNode stat = api.get("/v1/scheduler/job/stat/repeating").path("histogram");
    assertTrue(stat.path("count").asInt() >= 5, stat.toString());
    assertEquals(204, api.send("DELETE", "/v1/scheduler/job/repeating", null).statusCode());
  }

  @Test
  void aChainRunsTheChildOnceAfterBothParentsSucceeded() throws Exception {
    Path out = cluster.dir.resolve("chain.txt");
    Instant now = Instant.now();
    api.post("/v1/scheduler/iso8601", job("chain-a", "R1/" + now.plusSeconds(2) + "/PT1H",
        "sleep 1; echo A >> " + out, ""));
    api.post("/v1/scheduler/iso8601", job("chain-b", "R1/" + now.plusSeconds(4) + "/PT1H",
        "sleep 1; echo B >> " + out, ""));
    api.post("/v1/scheduler/dependency", "{\"name\":\"chain-c\",\"parents\":[\"chain-a\",\"chain-b\"],"
        + "\"command\":\"echo C >> " + out + "\",\"cpus\":0.1,\"mem\":32}");
    JsonNode c = api.awaitHistory("chain-c", h -> Api.count(h, "SUCCEEDED") == 1, Duration.ofSeconds(60));
    JsonNode a = api.history("chain-a").get(0);
    JsonNode b = api.history("chain-b").get(0);
    Instant cStarted = Instant.parse(c.get(0).path("started").asText());
    assertTrue(!cStarted.isBefore(Instant.parse(a.path("finished").asText()))
        && !cStarted.isBefore(Instant.parse(b.path("finished").asText())), "C after A and B: " + a + b + c);
    Thread.sleep(2000);
    assertEquals(1, api.history("chain-c").size(), "C ran once");
    assertEquals(List.of("A", "B", "C"), Files.readAllLines(out));
    assertEquals("DEPENDENCY", c.get(0).path("trigger").asText());
  }

  @Test
  void aFailingJobIsRetriedThenMarkedFailedInItsHistory() throws Exception {
    api.post("/v1/scheduler/iso8601", job("flaky", "R1//PT1H", "echo attempt $TRELLIS_JOB_ATTEMPT; exit 3", "\"retries\":2"));
    JsonNode h = api.awaitHistory("flaky", x -> Api.count(x, "FAILED") == 1, Duration.ofSeconds(60));
    JsonNode run = h.get(0);
    assertEquals(3, run.path("attempts").asInt());
    assertEquals(3, run.path("exitStatus").asInt());
    assertTrue(run.path("message").asText().contains("FAILED"), run.toString());
    JsonNode job = api.get("/v1/scheduler/job/flaky");
    assertEquals(1, job.path("errorCount").asInt());
    assertEquals(0, job.path("successCount").asInt());
    assertEquals(1, job.path("errorsSinceLastSuccess").asInt());
    assertTrue(job.path("lastError").asText().startsWith("20"), job.toString());
  }

  /** Runs {@code trellis job ARGS} against this framework; returns the exit code and what it printed. */
  private String[] cli(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream oldOut = System.out;
    java.io.PrintStream oldErr = System.err;
    int code;
    try {
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      List<String> all = new ArrayList<>(List.of(args));
      all.add("--jobs");
      all.add("http://" + jobs.endpoint());
      code = new picocli.CommandLine(new io.trellis.jobs.cli.JobCommand()).execute(all.toArray(String[]::new));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new String[] {Integer.toString(code), out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8)};
  }

  @Test
  void theJobCommandAddsListsShowsRunsAndDeletesJobs() throws Exception {
    String[] add = cli("add", "../conf/examples/jobs/chain.json");
    assertEquals("0", add[0], add[2]);
    assertTrue(add[1].contains("dependent job load saved"), add[1]);
    String[] list = cli("list");
    assertTrue(list[1].contains("extract-a") && list[1].contains("after [\"extract-a\",\"extract-b\"]"), list[1]);
    assertTrue(cli("show", "load")[1].contains("\"parents\""));
    // The example's extract jobs start now: once both succeed, load runs; then a manual run.
    api.awaitHistory("load", h -> Api.count(h, "SUCCEEDED") == 1, Duration.ofSeconds(60));
    assertEquals("0", cli("run", "load", "--arg", "x")[0]);
    api.awaitHistory("load", h -> Api.count(h, "SUCCEEDED") == 2, Duration.ofSeconds(60));
    String[] history = cli("history", "load");
    assertTrue(history[1].contains("DEPENDENCY") && history[1].contains("MANUAL"), history[1]);
    assertTrue(history[1].contains("successes 2, errors 0"), history[1]);

    String[] missing = cli("show", "nope");
    assertEquals("1", missing[0]);
    assertTrue(missing[2].contains("no job named 'nope'"), missing[2]);
    Path bad = cluster.dir.resolve("bad.json");
    Files.writeString(bad, "{\"name\":\"bad\",\"command\":\"true\",\"schedule\":\"every day\"}");
    String[] invalid = cli("add", bad.toString());
    assertEquals("1", invalid[0]);
    assertTrue(invalid[2].contains("refused the job (HTTP 422):\n  $.schedule: bad schedule 'every day'"), invalid[2]);
    assertEquals("2", cli("add", cluster.dir.resolve("absent.json").toString())[0]);
    assertEquals("1", cli("delete", "extract-a")[0], "a parent cannot go first");
    assertEquals("0", cli("delete", "load")[0]);
    assertEquals("0", cli("delete", "extract-a")[0]);
    assertEquals("0", cli("delete", "extract-b")[0]);
    String[] unreachable = new String[1];
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream oldErr = System.err;
    try {
      System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
      unreachable[0] = Integer.toString(new picocli.CommandLine(new io.trellis.jobs.cli.JobCommand())
          .execute("list", "--jobs", "http://127.0.0.1:" + JobsJvm.freePort()));
    } finally {
      System.setErr(oldErr);
    }
    assertEquals("1", unreachable[0]);
    assertTrue(err.toString().contains("cannot reach the jobs API"), err.toString());
  }

  @Test
  void thePluginContributesTheCommandsAndALocalComponent() {
    List<io.trellis.plugin.TrellisPlugin> plugins = new ArrayList<>();
    java.util.ServiceLoader.load(io.trellis.plugin.TrellisPlugin.class).forEach(plugins::add);
    io.trellis.plugin.TrellisPlugin jobsPlugin = plugins.stream()
        .filter(p -> p instanceof io.trellis.jobs.cli.JobsPlugin).findFirst().orElseThrow();
    List<String> names = jobsPlugin.commands().stream()
        .map(c -> new picocli.CommandLine(c).getCommandName()).toList();
    assertEquals(List.of("jobs", "job"), names);
    assertEquals("jobs", jobsPlugin.local().orElseThrow().name());
  }

  @Test
  void aManualRunWithArgumentsAndAnAsyncCompletion() throws Exception {
    api.post("/v1/scheduler/iso8601", "{\"name\":\"manual\",\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\","
        + "\"command\":\"printf\",\"shell\":false,\"arguments\":[\"default\"],\"async\":true,\"cpus\":0.1,\"mem\":32}");
    assertEquals(204, api.send("PUT", "/v1/scheduler/job/manual?arguments=hello", null).statusCode());
    api.awaitHistory("manual", h -> h.size() == 1 && h.get(0).path("state").asText().equals("WAITING_ASYNC"),
        Duration.ofSeconds(30));
    String taskId = api.history("manual").get(0).path("taskId").asText();
    Path stdout = cluster.dir.resolve("agent");
    List<Path> found = new ArrayList<>();
    try (var walk = Files.walk(stdout)) {
      walk.filter(p -> p.toString().contains(taskId) && p.getFileName().toString().equals("stdout")).forEach(found::add);
    }
    assertEquals("hello", Files.readString(found.get(0)));
    assertEquals(204, api.send("POST", "/v1/scheduler/job/success/manual", null).statusCode());
    assertEquals("SUCCEEDED", api.history("manual").get(0).path("state").asText());
  }
}
