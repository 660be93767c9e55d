package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Absurd input on a real cluster: refused with 4xx naming the field before anything is stored,
 * and a job that cannot launch (as an earlier version stored it) fails its runs with the reason
 * while the other jobs keep launching.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsBadInputTest {
  static {
    java.util.logging.Logger.getLogger("org.glassfish").setLevel(java.util.logging.Level.SEVERE);
  }

  private Cluster cluster;
  private JobsFramework jobs;
  private Api api;

  @BeforeAll
  void start() throws Exception {
    cluster = new Cluster("cpus:4;mem:4096;disk:1000");
    // Stored by an earlier version that took 1e400 for a number: memory "Infinity".
    try (CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zk.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      zk.create().creatingParentsIfNeeded().forPath("/trellis/jobs/jobs/infinite", ("{\"name\":\"infinite\","
          + "\"command\":\"true\",\"schedule\":\"R/2026-01-01T00:00:00Z/PT3S\",\"retries\":2,\"mem\":\"Infinity\"}")
          .getBytes(StandardCharsets.UTF_8));
    }
    jobs = JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0)
        .withEngine(EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))));
    api = new Api(jobs.endpoint());
    api.awaitReady(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() throws Exception {
    Cluster.closeAll(jobs, cluster);
  }

  private JsonNode refused(int status, String method, String path, String body) throws Exception {
    HttpResponse<String> r = api.send(method, path, body);
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    return Json.mapper().readTree(r.body());
  }

  private static String job(String name, String fields) {
    return "{\"name\":\"" + name + "\",\"command\":\"true\",\"schedule\":\"R//PT1H\"" + fields + "}";
  }

  private void assertNotStored(String name) throws Exception {
    assertEquals(404, api.send("GET", "/v1/scheduler/job/" + name, null).statusCode(), name + " stored");
  }

  @Test
  void absurdNumbersAreRefusedWith422NamingTheFieldOnEveryJobEndpoint() throws Exception {
    String[][] cases = {
        {",\"mem\":1e400", "$.mem"}, {",\"cpus\":\"NaN\"", "$.cpus"}, {",\"disk\":-1e400", "$.disk"},
        {",\"cpus\":1e300", "$.cpus"}, {",\"retries\":99999999999", "$.retries"}, {",\"retries\":-5", "$.retries"},
        {",\"catchUpLimit\":1000000000", "$.catchUpLimit"}, {",\"epsilon\":\"PT99999999999H\"", "$.epsilon"}};
    api.post("/v1/scheduler/iso8601", job("parent", ""));
    for (String endpoint : new String[] {"iso8601", "dependency"}) {
      for (String[] c : cases) {
        String body = endpoint.equals("iso8601") ? job("absurd", c[0])
            : "{\"name\":\"absurd\",\"command\":\"true\",\"parents\":[\"parent\"]" + c[0] + "}";
        for (String method : new String[] {"POST", "PUT"}) {
          JsonNode error = refused(422, method, "/v1/scheduler/" + endpoint, body);
          assertTrue(error.path("message").asText().contains(c[1]), c[0] + " -> " + error);
          assertEquals(c[1], error.path("errors").get(0).path("path").asText(), c[0] + " -> " + error);
        }
      }
    }
    assertNotStored("absurd");
  }

  @Test
  void badSchedulesAndNamesAreRefusedBeforeAnythingIsStored() throws Exception {
    JsonNode negative = refused(422, "POST", "/v1/scheduler/iso8601", job("neg", "").replace("R//PT1H", "R-1//PT1H"));
    assertEquals("$.schedule", negative.path("errors").get(0).path("path").asText(), negative.toString());
    JsonNode cron = refused(422, "POST", "/v1/scheduler/iso8601",
        "{\"name\":\"cron99\",\"command\":\"true\",\"schedule\":\"cron: 99 * * * *\"}");
    assertTrue(cron.path("message").asText().contains("minute 99 is out of range"), cron.toString());
    JsonNode cronField = refused(422, "POST", "/v1/scheduler/iso8601",
        "{\"name\":\"cron99\",\"command\":\"true\",\"cron\":\"99 * * * *\"}");
    assertEquals("$.cron", cronField.path("errors").get(0).path("path").asText(), cronField.toString());
    String longName = "n".repeat(10_000);
    JsonNode name = refused(422, "POST", "/v1/scheduler/iso8601", job(longName, ""));
    assertEquals("$.name", name.path("errors").get(0).path("path").asText());
    assertTrue(name.path("message").asText().length() < 1_000, "the message quotes a long name shortened");
    assertNotStored("neg");
    assertNotStored("cron99");
  }

  @Test
  void aCronThatNeverFiresBothKindsOfScheduleAndAParentNamedTwiceAreRefused() throws Exception {
    for (String fields : new String[] {"\"cron\":\"0 0 31 2 *\"", "\"schedule\":\"cron: 0 0 30 2 *\""}) {
      JsonNode never = refused(422, "POST", "/v1/scheduler/iso8601", "{\"name\":\"never\",\"command\":\"true\"," + fields + "}");
      assertTrue(never.path("message").asText().contains("matches no time to come"), never.toString());
    }
    JsonNode both = refused(422, "POST", "/v1/scheduler/iso8601", job("both", ",\"cron\":\"* * * * *\""));
    assertEquals("$.cron", both.path("errors").get(0).path("path").asText(), both.toString());
    api.post("/v1/scheduler/iso8601", job("parent", ""));
    JsonNode twice = refused(422, "POST", "/v1/scheduler/dependency",
        "{\"name\":\"twice\",\"command\":\"true\",\"parents\":[\"parent\",\"parent\"]}");
    assertEquals("$.parents[1]", twice.path("errors").get(0).path("path").asText(), twice.toString());
    for (String dots : new String[] {".", ".."}) {
      JsonNode name = refused(422, "POST", "/v1/scheduler/iso8601", job(dots, ""));
      assertEquals("$.name", name.path("errors").get(0).path("path").asText(), name.toString());
    }
    assertNotStored("never");
    assertNotStored("both");
    assertNotStored("twice");
  }

  @Test
  void malformedJsonIsA400NamingTheProblemAndOversizedBodiesA413() throws Exception {
    String deep = "[".repeat(60_000) + "]".repeat(60_000);
    JsonNode nested = refused(400, "POST", "/v1/scheduler/iso8601", job("deep", ",\"arguments\":" + deep));
    assertTrue(nested.path("message").asText().contains("nesting depth"), nested.toString());
    JsonNode deepField = refused(400, "POST", "/v1/scheduler/iso8601",
        job("deep", ",\"description\":" + "{\"a\":".repeat(40_000) + "1" + "}".repeat(40_000)));
    assertTrue(deepField.path("message").asText().contains("nesting depth"), deepField.toString());
    JsonNode trailing = refused(400, "POST", "/v1/scheduler/iso8601", job("trailing", "") + " {\"name\":\"x\"}");
    assertTrue(trailing.path("message").asText().contains("trailing"), trailing.toString());
    JsonNode huge = refused(413, "POST", "/v1/scheduler/iso8601", job("huge", ",\"description\":\"" + "x".repeat(2_000_000) + "\""));
    assertTrue(huge.path("message").asText().contains("exceeds"), huge.toString());
    assertNotStored("deep");
    assertNotStored("trailing");
    assertNotStored("huge");
  }

  @Test
  void aJobThatCannotLaunchFailsWithTheReasonAndOtherJobsKeepLaunching() throws Exception {
    JsonNode failed = api.awaitHistory("infinite", h -> Api.count(h, "FAILED") >= 2, Duration.ofSeconds(60));
    for (JsonNode r : failed) {
      if (r.path("state").asText().equals("FAILED")) {
        assertTrue(r.path("message").asText().contains("mem"), "the reason names the field: " + r);
        assertEquals(1, r.path("attempts").asInt(), "a task that cannot launch is not retried: " + r);
      }
    }
    api.post("/v1/scheduler/iso8601", "{\"name\":\"fine\",\"command\":\"true\",\"schedule\":\"R//PT2S\",\"cpus\":0.1,\"mem\":32}");
    api.awaitHistory("fine", h -> Api.count(h, "SUCCEEDED") >= 2, Duration.ofSeconds(60));
    api.send("DELETE", "/v1/scheduler/job/infinite", null);
    api.awaitHistory("fine", h -> Api.count(h, "SUCCEEDED") >= 3, Duration.ofSeconds(60));
  }
}
