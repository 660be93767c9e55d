package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.testkit.LocalJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code trellis local} keeps its data directory: stopped and started again, it still has its
 * jobs and their running task (recovered, not relaunched); {@code --fresh} starts empty.
 */
class LocalRestartTest {
  @Test
  void aRestartedLocalClusterRecoversItsJobsAndRunningTasksAndFreshStartsEmpty() throws Exception {
    Path root = Files.createTempDirectory("trellis-local-restart-");
    try {
      restartAndFresh(root);
    } finally {
      LocalJvm.deleteTree(root);
    }
  }

  private void restartAndFresh(Path root) throws Exception {
    Path data = root.resolve("data");
    String marker = root.getFileName().toString();
    LocalJvm first = LocalJvm.onFreePorts(data);
    Api api = new Api("127.0.0.1:" + first.jobsPort);
    String taskId;
    try (LocalJvm local = first.start()) {
      local.awaitUp(Duration.ofSeconds(90));
      api.authorization = local.authorization();
      api.awaitReady(Duration.ofSeconds(30));
      api.post("/v1/scheduler/iso8601", "{\"name\":\"long\",\"command\":\"sleep 600 # " + marker + "\","
          + "\"schedule\":\"R/2099-01-01T00:00:00Z/P1D\",\"cpus\":0.1,\"mem\":16}");
      assertEquals(204, api.send("PUT", "/v1/scheduler/job/long", null).statusCode());
      JsonNode runs = api.awaitHistory("long", h -> Api.count(h, "RUNNING") == 1 && h.get(0).path("agentId").asText().length() > 0,
          Duration.ofSeconds(60));
      taskId = runs.get(0).path("taskId").asText();
    }
    try (LocalJvm again = LocalJvm.onPortsOf(first, data).start()) {
      again.awaitUp(Duration.ofSeconds(90));
      assertEquals(api.authorization, again.authorization(), "a restart keeps the admin token");
      api.awaitReady(Duration.ofSeconds(60));
      JsonNode runs = api.history("long");
      assertEquals(1, runs.size(), runs.toString());
      assertEquals(taskId, runs.get(0).path("taskId").asText());
      assertEquals("RUNNING", runs.get(0).path("state").asText(), "recovered, not lost or relaunched: " + runs);
      assertEquals(204, api.send("DELETE", "/v1/scheduler/task/kill/long", null).statusCode());
      api.awaitHistory("long", h -> Api.count(h, "KILLED") == 1, Duration.ofSeconds(60));
    } finally {
      killLeftovers(marker);
    }
    try (LocalJvm fresh = LocalJvm.onPortsOf(first, data).start("--fresh")) {
      fresh.awaitUp(Duration.ofSeconds(90));
      api.authorization = fresh.authorization();
      api.awaitReady(Duration.ofSeconds(30));
      assertEquals(0, api.get("/v1/scheduler/jobs").size(), "--fresh starts with no jobs");
      assertTrue(Files.exists(data.resolve(".trellis-local")));
    }
  }

  private static void killLeftovers(String marker) {
    ProcessHandle.allProcesses()
        .filter(ph -> ph.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }
}
