package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two jobs framework instances on one ZooKeeper: one leads and schedules, the other takes over. */
class JobsLeadershipTest {
  private static JobsFramework start(Cluster cluster) throws Exception {
    return JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0)
        .withEngine(EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))));
  }

  private static void awaitLeader(JobsFramework f) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!f.isLeader() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(f.isLeader(), "instance at " + f.endpoint() + " leads");
  }

  @Test
  void onlyTheLeaderSchedulesAndAStandbyTakesOverWithTheStoredJobs() throws Exception {
    try (Cluster cluster = new Cluster("cpus:4;mem:4096")) {
      JobsFramework first = start(cluster);
      awaitLeader(first);
      try (JobsFramework second = start(cluster)) {
        Api leader = new Api(first.endpoint());
        Api standby = new Api(second.endpoint());
        leader.post("/v1/scheduler/iso8601", "{\"name\":\"ha\",\"schedule\":\"R//PT2S\",\"command\":\"true\","
            + "\"cpus\":0.1,\"mem\":16}");
        leader.awaitHistory("ha", h -> Api.count(h, "SUCCEEDED") >= 1, Duration.ofSeconds(60));
        assertFalse(second.isLeader());
        HttpResponse<String> refused = standby.send("GET", "/v1/scheduler/jobs", null);
        assertEquals(503, refused.statusCode());
        JsonNode body = Json.mapper().readTree(refused.body());
        assertTrue(body.path("message").asText().contains(first.endpoint()), refused.body());
        // The liveness probe answers on both, each for itself.
        JsonNode standbyHealth = Json.mapper().readTree(standby.send("GET", "/health", null).body());
        assertFalse(standbyHealth.path("leading").asBoolean(), standbyHealth.toString());
        assertTrue(standbyHealth.path("message").asText().contains(first.endpoint()), standbyHealth.toString());
        HttpResponse<String> leaderHealth = leader.send("GET", "/health", null);
        assertEquals(200, leaderHealth.statusCode());
        assertTrue(Json.mapper().readTree(leaderHealth.body()).path("leading").asBoolean(), leaderHealth.body());

        first.close();
        awaitLeader(second);
        int before = standby.history("ha").size();
        JsonNode h = standby.awaitHistory("ha", x -> Api.count(x, "SUCCEEDED") >= before + 2, Duration.ofSeconds(60));
        long slots = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode r : h) {
          assertTrue(seen.add(r.path("slot").asText()), "one run per slot: " + h);
          slots++;
        }
        assertTrue(slots >= before + 2);
      } finally {
        first.close();
      }
    }
  }
}
