package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spark application on a schedule: a job of the jobs framework whose command is
 * {@code trellis spark submit} (client mode: the job's task is the driver) runs the pi example on
 * the same cluster; the run succeeds, its history says so, and the driver's output, in the job's
 * sandbox, has the estimate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduledSparkJobTest {
  private SparkCluster cluster;
  private JobsFramework jobs;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  void start() throws Exception {
    cluster = new SparkCluster("cpus:4;mem:6144;disk:10000");
    jobs = JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!jobs.isLeader() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    assertTrue(jobs.isLeader(), "the only jobs instance leads");
  }

  @AfterAll
  void stop() throws Exception {
    if (jobs != null) {
      jobs.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aJobSubmitsThePiExampleAndItsRunSucceedsWithTheEstimateInItsOutput() throws Exception {
    List<String> submit = new ArrayList<>(List.of(cluster.trellis.toString(), "spark", "submit",
        "--master", cluster.masterUrl(), "--name", "nightly-pi", "--class", "io.trellis.spark.examples.SparkPi"));
    submit.addAll(cluster.smallApplication());
    submit.add(SparkCluster.examplesJar().toString());
    submit.add("4");
    String command = String.join(" ", submit.stream().map(SparkCluster::shellWord).toList());
    // The job runs this test's trellis launcher, whose class path is the build's (in root's Maven
    // repository, closed to the agent's default task user): the job names its user.
    String job = Json.mapper().writeValueAsString(Map.of("name", "nightly-pi", "schedule", "R1//PT24H",
        "command", command, "cpus", 1, "mem", 1536, "owner", "data@example.com",
        "runAsUser", System.getProperty("user.name")));
    HttpResponse<String> created = send("POST", "/v1/scheduler/iso8601", job);
    assertEquals(204, created.statusCode(), created.body());

    JsonNode history = awaitHistory("nightly-pi", Duration.ofSeconds(240));
    JsonNode run = history.get(0);
    List<Path> sandboxes = cluster.sandboxes("job.nightly-pi.");
    assertEquals(1, sandboxes.size(), "one run of the job: " + sandboxes);
    String stdout = Files.readString(sandboxes.get(0).resolve("stdout"));
    assertEquals("SUCCEEDED", run.path("state").asText(), run + "\nthe job's stdout:\n" + stdout
        + "\nits stderr:\n" + Files.readString(sandboxes.get(0).resolve("stderr")));
    assertEquals(0, run.path("exitStatus").asInt(), run.toString());
    assertTrue(stdout.contains("Pi is roughly 3.1"), "the driver's output in the job's sandbox: " + stdout);

    JsonNode definition = get("/v1/scheduler/job/nightly-pi");
    assertEquals(1, definition.path("successCount").asInt(), definition.toString());
    assertEquals(0, definition.path("errorCount").asInt(), definition.toString());
    // The application ran as a framework of its own beside the jobs framework, its executor as a
    // Trellis task on the agent, and both are gone.
    cluster.await("the application's framework ended", s -> {
      for (JsonNode f : s.path("frameworks")) {
        if (f.path("name").asText().startsWith("spark nightly-pi")) {
          return false;
        }
      }
      return true;
    }, 60);
    List<Path> executors = cluster.sandboxes("spark-application-");
    assertEquals(1, executors.size(), "one executor task on the agent");
    String launch = Files.readString(executors.get(0).getParent().resolve("launch.json"));
    assertTrue(launch.contains("-XX:SharedArchiveFile="), "the executor starts with the install's class-data archive: "
        + launch);
    assertFalse(stdout.contains("Exception"), stdout);
  }

  private JsonNode awaitHistory(String name, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send("GET", "/v1/scheduler/job/" + name + "/history", null);
      if (r.statusCode() == 200) {
        last = Json.mapper().readTree(r.body());
        for (JsonNode run : last) {
          String state = run.path("state").asText();
          if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
            return last;
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("no finished run of " + name + " within " + timeout + "; history: " + last
        + "; sandboxes " + cluster.sandboxes("job."));
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    assertEquals(200, r.statusCode(), r.body());
    return Json.mapper().readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + jobs.endpoint() + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
