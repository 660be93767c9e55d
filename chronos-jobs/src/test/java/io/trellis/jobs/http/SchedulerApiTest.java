package io.trellis.jobs.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.engine.JobEngine;
import io.trellis.jobs.engine.Launch;
import io.trellis.jobs.engine.Launcher;
import io.trellis.jobs.store.MemoryJobStore;
import io.trellis.testkit.SimulatedTime;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /v1/scheduler API over real HTTP, on an engine with a simulated clock. */
class SchedulerApiTest {
  static final Path EXAMPLES = Path.of("..", "conf", "examples", "jobs");

  private final SimulatedTime time = new SimulatedTime(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Launch> launched = new ArrayList<>();
  private JobEngine engine;
  private JobsHttpServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    Launcher launcher = new Launcher() {
      @Override
      public void launch(Launch l) {
        launched.add(l);
      }

      @Override
      public boolean kill(String taskId) {
        return launched.removeIf(l -> l.task().taskId().equals(taskId));
      }

      @Override
      public void reconcile(Collection<String> taskIds) { }
    };
    engine = new JobEngine(time, time, new MemoryJobStore(), launcher, EngineConfig.defaults());
    engine.start();
    EngineAccess access = new EngineAccess() {
      @Override
      public synchronized <T> T call(Function<JobEngine, T> work) {
        return work.apply(engine);
      }

      @Override
      public Readiness readiness() {
        return new Readiness("127.0.0.1:" + server.port(), true, true, "CONNECTED");
      }
    };
    server = new JobsHttpServer(access, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, Map.of());
  }

  private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  private String example(String file) throws Exception {
    return Files.readString(EXAMPLES.resolve(file));
  }

  @Test
  void aJobAskingTheHostForWhatItsCallerMayNotHaveIsRefusedNamingTheFieldAndNotStored() throws Exception {
    Map<String, String> ci = Map.of(io.trellis.testkit.security.TestPrincipals.PRINCIPAL_HEADER, "ci",
        io.trellis.testkit.security.TestPrincipals.GRANTS_HEADER, "manage_jobs=*,host_volume=/data/*");
    String base = "{\"name\":\"%s\",\"command\":\"true\",\"schedule\":\"R/2030-01-01T00:00:00Z/PT1H\"%s}";
    Map<String, String> refused = Map.of(
        "root", ",\"runAsUser\":\"root\"",
        "sock", ",\"container\":{\"type\":\"DOCKER\",\"image\":\"busybox\",\"volumes\":[{\"containerPath\":\"/s\","
            + "\"hostPath\":\"/var/run/docker.sock\",\"mode\":\"RW\"}]}",
        "hostnet", ",\"container\":{\"type\":\"DOCKER\",\"image\":\"busybox\",\"network\":\"HOST\"}",
        "capadd", ",\"container\":{\"type\":\"DOCKER\",\"image\":\"busybox\",\"parameters\":[{\"key\":\"cap-add\","
            + "\"value\":\"NET_ADMIN\"}]}");
    Map<String, String> paths = Map.of("root", "$.runAsUser", "sock", "$.container.volumes[0].hostPath",
        "hostnet", "$.container.network", "capadd", "$.container.parameters[0]");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      HttpResponse<String> r = send("POST", "/v1/scheduler/iso8601", String.format(base, e.getKey(), e.getValue()), ci);
      assertEquals(403, r.statusCode(), r.body());
      assertEquals(paths.get(e.getKey()), json(r).get("errors").get(0).get("path").asText(), r.body());
      assertTrue(r.body().contains("'ci'"), r.body());
      assertEquals(404, send("GET", "/v1/scheduler/job/" + e.getKey(), null).statusCode(), e.getKey() + " stored");
    }
    String granted = String.format(base, "data", ",\"container\":{\"type\":\"DOCKER\",\"image\":\"busybox\","
        + "\"volumes\":[{\"containerPath\":\"/d\",\"hostPath\":\"/data/in\",\"mode\":\"RO\"}]}");
    assertEquals(204, send("POST", "/v1/scheduler/iso8601", granted, ci).statusCode());
    assertEquals(200, send("GET", "/v1/scheduler/job/data", null).statusCode());
  }

  @Test
  void aSecretEnvironmentValueReachesTheTaskButNoAnswerAndSurvivesAnUpdateWithoutIt() throws Exception {
    String secret = "s3cr3t-7b21";
    String job = "{\"name\":\"backup\",\"command\":\"true\",\"concurrent\":true,\"schedule\":\"R/2025-12-31T23:00:00Z/PT1H\","
        + "\"environmentVariables\":[{\"name\":\"PLAIN\",\"value\":\"p\"},"
        + "{\"name\":\"DB_PASSWORD\",\"value\":\"" + secret + "\",\"secret\":true}]}";
    assertEquals(204, send("POST", "/v1/scheduler/iso8601", job).statusCode());
    Launch first = launched.stream().filter(l -> l.task().name().equals("backup")).findFirst().orElseThrow();
    assertEquals(secret, first.task().command().environment().get("DB_PASSWORD"));
    assertEquals(List.of("DB_PASSWORD"), first.task().command().secrets());
    assertTrue(!first.task().toString().contains(secret), first.task().toString());

    String shown = send("GET", "/v1/scheduler/job/backup", null).body();
    for (String answer : List.of(shown, send("GET", "/v1/scheduler/jobs", null).body(),
        send("GET", "/v1/scheduler/jobs/search?name=backup", null).body())) {
      assertTrue(!answer.contains(secret) && answer.contains("DB_PASSWORD"), answer);
    }
    assertTrue(json(send("GET", "/v1/scheduler/job/backup", null)).get("environmentVariables").get(1).get("secret")
        .asBoolean(), shown);

    // A client sends back what it read, without the value: the stored one is kept.
    launched.clear();
    assertEquals(204, send("PUT", "/v1/scheduler/iso8601", shown.replace("PT1H", "PT2H")).statusCode());
    time.advance(java.time.Duration.ofHours(3));
    Launch again = launched.stream().filter(l -> l.task().name().equals("backup")).findFirst().orElseThrow();
    assertEquals(secret, again.task().command().environment().get("DB_PASSWORD"));

    HttpResponse<String> missing = send("POST", "/v1/scheduler/iso8601", job.replace("backup", "other")
        .replace(",\"value\":\"" + secret + "\"", ""));
    assertEquals(422, missing.statusCode(), missing.body());
    assertEquals("$.environmentVariables[1].value", json(missing).get("errors").get(0).get("path").asText());
  }

  @Test
  void chronosDocumentedJobDefinitionsAreAcceptedAsTheyAre() throws Exception {
    assertEquals(204, send("POST", "/v1/scheduler/iso8601", example("sample-job1.json")).statusCode());
    assertEquals(204, send("POST", "/v1/scheduler/dependency", example("sample-job2.json")).statusCode());
    assertEquals(204, send("POST", "/scheduler/iso8601", example("docker-job.json")).statusCode());
    HttpResponse<String> full = send("POST", "/v1/scheduler/iso8601", example("full-job.json"));
    assertEquals(204, full.statusCode(), full.body());
    assertEquals(204, send("POST", "/v1/scheduler/iso8601", example("cron-job.json")).statusCode());
    JsonNode jobs = json(send("GET", "/v1/scheduler/jobs", null));
    assertEquals(5, jobs.size());
    JsonNode job2 = json(send("GET", "/v1/scheduler/job/SAMPLE_JOB2", null));
    assertEquals("SAMPLE_JOB1", job2.get("parents").get(0).asText());
    assertEquals("PT15M", job2.get("epsilon").asText());
    for (String field : new String[] {"successCount", "errorCount", "lastSuccess", "lastError", "errorsSinceLastSuccess"}) {
      assertTrue(job2.has(field), "read-only field " + field + " in " + job2);
    }
    JsonNode docker = json(send("GET", "/v1/scheduler/job/dockerjob", null));
    assertEquals("DOCKER", docker.get("container").get("type").asText());
    assertEquals(0.5, docker.get("cpus").asDouble());
    JsonNode full2 = json(send("GET", "/v1/scheduler/job/nightly-report", null));
    assertEquals("REPORT_DATE", full2.get("environmentVariables").get(0).get("name").asText());
    assertEquals("https://example.com/report.tar.gz", full2.get("fetch").get(0).get("uri").asText());
    assertEquals(2, full2.get("retries").asInt());
    // The docker job's task carries a DOCKER container spec with the volume.
    Launch dockerLaunch = launched.stream().filter(l -> l.task().name().equals("dockerjob")).findFirst().orElseThrow();
    assertEquals("DOCKER", dockerLaunch.task().container().type());
    assertEquals("trellis/busybox:latest", dockerLaunch.task().container().image());
    assertEquals("/var/log/", dockerLaunch.task().container().volumes().get(0).get("containerPath"));
  }

  @Test
  void priorityAndPreemptibleReachTheTasksAndBadValuesAre422() throws Exception {
    assertEquals(204, send("POST", "/v1/scheduler/iso8601", "{\"name\":\"low\",\"command\":\"true\","
        + "\"schedule\":\"R/2025-12-31T23:00:00Z/PT1H\",\"priority\":-7,\"preemptible\":false}").statusCode());
    Launch low = launched.stream().filter(l -> l.task().name().equals("low")).findFirst().orElseThrow();
    assertEquals(-7, low.task().priority());
    assertEquals(false, low.task().preemptible());
    assertEquals(-7, json(send("GET", "/v1/scheduler/job/low", null)).get("priority").asInt());

    for (String bad : List.of("1.5", "1e400", "\"high\"", "2000000000", "-1000000001")) {
      HttpResponse<String> r = send("POST", "/v1/scheduler/iso8601",
          "{\"name\":\"p\",\"command\":\"true\",\"schedule\":\"R//PT1H\",\"priority\":" + bad + "}");
      assertEquals(422, r.statusCode(), bad + ": " + r.body());
      assertEquals("$.priority", json(r).get("errors").get(0).get("path").asText(), bad);
    }
    HttpResponse<String> flag = send("POST", "/v1/scheduler/iso8601",
        "{\"name\":\"p\",\"command\":\"true\",\"schedule\":\"R//PT1H\",\"preemptible\":[1]}");
    assertEquals(422, flag.statusCode(), flag.body());
    assertEquals("$.preemptible", json(flag).get("errors").get(0).get("path").asText());
    assertEquals(404, send("GET", "/v1/scheduler/job/p", null).statusCode(), "nothing stored");
  }

  @Test
  void invalidDefinitionsAre422NamingEachField() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/scheduler/iso8601",
        "{\"name\":\"bad\",\"command\":\"true\",\"schedule\":\"R/2026-13-01T00:00:00Z/PT1M\",\"retries\":-1,"
            + "\"concurrencyPolicy\":\"SOMETIMES\",\"cpus\":0}");
    assertEquals(422, r.statusCode());
    JsonNode errors = json(r).get("errors");
    List<String> paths = new ArrayList<>();
    errors.forEach(e -> paths.add(e.get("path").asText()));
    assertEquals(List.of("$.schedule", "$.retries", "$.cpus", "$.concurrencyPolicy"), paths);
    assertTrue(errors.get(0).get("message").asText().contains("2026-13-01T00:00:00Z"), r.body());

    HttpResponse<String> cron = send("POST", "/v1/scheduler/iso8601",
        "{\"name\":\"badcron\",\"command\":\"true\",\"schedule\":\"cron: 61 * * * *\"}");
    assertEquals(422, cron.statusCode());
    assertEquals("$.schedule", json(cron).get("errors").get(0).get("path").asText());

    HttpResponse<String> zone = send("POST", "/v1/scheduler/iso8601",
        "{\"name\":\"badzone\",\"command\":\"true\",\"schedule\":\"R//PT1M\",\"scheduleTimeZone\":\"Mars/Olympus\"}");
    assertEquals("$.scheduleTimeZone", json(zone).get("errors").get(0).get("path").asText());

    HttpResponse<String> parent = send("POST", "/v1/scheduler/dependency",
        "{\"name\":\"child\",\"command\":\"true\",\"parents\":[\"ghost\"]}");
    assertEquals(422, parent.statusCode());
    assertEquals("$.parents[0]", json(parent).get("errors").get(0).get("path").asText());

    assertEquals(204, send("POST", "/v1/scheduler/iso8601", "{\"name\":\"a\",\"command\":\"true\",\"schedule\":\"R//PT1H\"}").statusCode());
    assertEquals(204, send("POST", "/v1/scheduler/dependency", "{\"name\":\"b\",\"command\":\"true\",\"parents\":[\"a\"]}").statusCode());
    assertEquals(204, send("POST", "/v1/scheduler/dependency", "{\"name\":\"c\",\"command\":\"true\",\"parents\":[\"b\"]}").statusCode());
    HttpResponse<String> cycle = send("PUT", "/v1/scheduler/dependency", "{\"name\":\"b\",\"command\":\"true\",\"parents\":[\"c\"]}");
    assertEquals(422, cycle.statusCode());
    assertEquals("$.parents", json(cycle).get("errors").get(0).get("path").asText());
    assertFalse(cycle.body().contains("Exception"), cycle.body());
    assertEquals("a", json(send("GET", "/v1/scheduler/job/b", null)).get("parents").get(0).asText(),
        "the stored job is unchanged");
  }

  @Test
  void unparsableJsonIs400AndUnknownJobs404() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/scheduler/iso8601", "{\"name\": ");
    assertEquals(400, r.statusCode());
    assertTrue(json(r).get("message").asText().startsWith("unparsable JSON"), r.body());
    assertEquals(400, send("POST", "/v1/scheduler/iso8601", "").statusCode());
    assertEquals(404, send("GET", "/v1/scheduler/job/nope", null).statusCode());
    assertEquals(404, send("DELETE", "/v1/scheduler/job/nope", null).statusCode());
    assertEquals(404, send("PUT", "/v1/scheduler/job/nope", null).statusCode());
    assertEquals(404, send("GET", "/v1/scheduler/job/stat/nope", null).statusCode());
    assertEquals(404, send("DELETE", "/v1/scheduler/task/kill/nope", null).statusCode());
    HttpResponse<String> missing = send("GET", "/v1/scheduler/job/nope", null);
    assertEquals("no job named 'nope'", json(missing).get("message").asText());
    assertEquals(404, send("GET", "/v1/nothing", null).statusCode());
  }

  @Test
  void runNowHistoryStatsSummaryGraphAndDelete() throws Exception {
    send("POST", "/v1/scheduler/iso8601", "{\"name\":\"a\",\"command\":\"echo\",\"schedule\":\"R/2026-02-01T00:00:00Z/P1D\"}");
    send("POST", "/v1/scheduler/iso8601", "{\"name\":\"b b\",\"command\":\"echo\",\"schedule\":\"R/2026-02-01T00:00:00Z/P1D\",\"async\":true}");
    send("POST", "/v1/scheduler/dependency", "{\"name\":\"c\",\"command\":\"echo\",\"parents\":[\"a\",\"b b\"]}");
    assertEquals(204, send("PUT", "/v1/scheduler/job/a?arguments=-x&arguments=y", null).statusCode());
    assertEquals(204, send("PUT", "/v1/scheduler/job/" + URLEncoder.encode("b b", StandardCharsets.UTF_8).replace("+", "%20"), null).statusCode());
    assertEquals(2, launched.size());
    assertEquals("echo '-x' 'y'", launched.get(0).task().command().value());
    for (Launch l : List.copyOf(launched)) {
      synchronized (this) {
        engine.onUpdate(new TaskStatus(l.task().taskId(), "fw", "a1", TaskState.RUNNING, null, null, null, null, 0));
        time.advance(java.time.Duration.ofSeconds(3));
        engine.onUpdate(new TaskStatus(l.task().taskId(), "fw", "a1", TaskState.FINISHED, null, null, 0, null, 0));
      }
    }
    assertEquals(2, launched.size(), "c waits: the async parent has not reported success");
    assertEquals(204, send("POST", "/v1/scheduler/job/success/b%20b", null).statusCode());
    assertEquals(3, launched.size());
    assertEquals("c", launched.get(2).task().name());

    JsonNode history = json(send("GET", "/v1/scheduler/job/a/history", null));
    assertEquals(1, history.size());
    assertEquals("SUCCEEDED", history.get(0).get("state").asText());
    assertEquals(3000, history.get(0).get("durationMs").asLong());
    JsonNode stat = json(send("GET", "/v1/scheduler/job/stat/a", null));
    assertEquals(3000, stat.get("histogram").get("99thPercentile").asLong());
    assertEquals(1, json(send("GET", "/v1/scheduler/job/a", null)).get("successCount").asLong());

    JsonNode summary = json(send("GET", "/v1/scheduler/jobs/summary", null)).get("jobs");
    assertEquals(3, summary.size());
    assertEquals("success", summary.get(0).get("status").asText());
    assertEquals("queued", summary.get(2).get("state").asText());

    String dot = send("GET", "/v1/scheduler/graph/dot", null).body();
    assertTrue(dot.contains("\"a\" -> \"c\";") && dot.contains("\"b b\" -> \"c\";"), dot);
    assertEquals(1, json(send("GET", "/v1/scheduler/jobs/search?name=B%20", null)).size());

    assertEquals(409, send("DELETE", "/v1/scheduler/job/a", null).statusCode());
    assertEquals(204, send("DELETE", "/v1/scheduler/task/kill/c", null).statusCode());
    assertEquals(204, send("DELETE", "/v1/scheduler/job/c", null).statusCode());
    assertEquals(204, send("DELETE", "/v1/scheduler/job/a", null).statusCode());
    assertEquals(1, json(send("GET", "/v1/scheduler/jobs", null)).size());
  }
}
