package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With ZooKeeper unreachable, the jobs API answers calls that need the leader or the store with
 * a JSON 503 at once instead of waiting on ZooKeeper; its leader endpoint keeps answering from
 * memory; once ZooKeeper is back the instance leads again with its jobs.
 */
class JobsZooKeeperOutageTest {
  private static void assertUnavailableNamingZooKeeper(HttpResponse<String> r) throws Exception {
    assertEquals(503, r.statusCode(), r.body());
    JsonNode body = Json.mapper().readTree(r.body());
    assertTrue(body.path("message").asText().contains("ZooKeeper is unreachable"), r.body());
  }

  @Test
  void callsAnswer503AtOnceWhileZooKeeperIsDownAndTheJobsAreBackAfter() throws Exception {
    try (Cluster cluster = new Cluster("cpus:2;mem:1024;disk:100");
        JobsFramework jobs = JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0)
            .withZkSessionTimeout(Duration.ofSeconds(4)))) {
      // Requests give up after 10 s: far below the 24-38 s they waited on ZooKeeper, so a hang shows.
      Api api = new Api(jobs.endpoint());
      api.awaitReady(Duration.ofSeconds(30));
      api.post("/v1/scheduler/iso8601", "{\"name\":\"kept\",\"command\":\"true\",\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\"}");
      cluster.zk.stop();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!api.get("/v1/scheduler/leader").path("zookeeper").asText().equals("SUSPENDED")
          && !api.get("/v1/scheduler/leader").path("zookeeper").asText().equals("LOST") && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
      for (int i = 0; i < 3; i++) {
        assertUnavailableNamingZooKeeper(api.send("GET", "/v1/scheduler/jobs", null));
        assertUnavailableNamingZooKeeper(api.send("POST", "/v1/scheduler/iso8601",
            "{\"name\":\"new\",\"command\":\"true\",\"schedule\":\"R//PT1H\"}"));
        assertUnavailableNamingZooKeeper(api.send("PUT", "/v1/scheduler/job/kept", null));
        JsonNode leader = api.get("/v1/scheduler/leader");
        assertEquals(false, leader.path("recovered").asBoolean(), leader.toString());
      }
      cluster.zk.restart();
      api.awaitReady(Duration.ofSeconds(60));
      assertEquals("kept", api.get("/v1/scheduler/job/kept").path("name").asText());
      assertEquals(404, api.send("GET", "/v1/scheduler/job/new", null).statusCode(), "nothing refused was stored");
    }
  }
}
