package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.jobs.framework.JobsFramework;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On a real cluster (one agent of 8 cpus): a run whose task fits no agent waits, the jobs
 * framework states it to the master as a demand, visible in the master's state, and it holds up
 * no other job's runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsDemandTest {
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

  /** The demand the jobs framework stated at the master for {@code job}, or {@code null}. */
  private JsonNode demandAtMaster(String job) throws Exception {
    var state = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://" + cluster.master.endpoint() + "/api/v1/state")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    for (JsonNode f : io.trellis.api.Json.mapper().readTree(state.body()).path("frameworks")) {
      for (JsonNode d : f.path("demands")) {
        if (d.path("id").asText().equals(job)) {
          return d;
        }
      }
    }
    return null;
  }

  @Test
  void aRunThatFitsNoOfferIsStatedToTheMasterAsADemand() throws Exception {
    api.post("/v1/scheduler/iso8601", "{\"name\":\"too-big\",\"schedule\":\"R1//PT1H\",\"command\":\"true\","
        + "\"cpus\":64,\"mem\":32}");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode d = demandAtMaster("too-big");
    while (d == null && System.nanoTime() < deadline) {
      Thread.sleep(200);
      d = demandAtMaster("too-big");
    }
    assertTrue(d != null, "no demand for the waiting run at the master");
    assertEquals(1, d.path("count").asInt(), d.toString());
    assertTrue(d.path("resources").asText().contains("cpus:64"), d.toString());
  }


  @Test
  void aRunThatFitsNoAgentDoesNotHoldUpAnotherJobsRuns() throws Exception {
    api.post("/v1/scheduler/iso8601", "{\"name\":\"never-fits\",\"schedule\":\"R1//PT1H\",\"command\":\"true\","
        + "\"cpus\":64,\"mem\":32}");
    api.post("/v1/scheduler/iso8601", "{\"name\":\"often\",\"schedule\":\"R//PT2S\",\"command\":\"true\","
        + "\"cpus\":0.1,\"mem\":32}");
    JsonNode h = api.awaitHistory("often", x -> Api.count(x, "SUCCEEDED") >= 6, Duration.ofSeconds(40));
    assertTrue(Api.count(h, "SUCCEEDED") >= 6, h.toString());
  }
}
