package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Docker job on a real cluster: the agent's Docker containerizer runs the job's command in the
 * local test image (bin/docker-setup builds trellis/busybox:latest).
 */
class DockerJobTest {
  @Test
  void aDockerJobRunsInAContainer() throws Exception {
    try (Cluster cluster = new Cluster("cpus:4;mem:4096");
        JobsFramework jobs = JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0)
            .withEngine(EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))))) {
      Api api = new Api(jobs.endpoint());
      String definition = Files.readString(Path.of("..", "conf", "examples", "jobs", "docker-job.json"))
          .replace("\"name\": \"dockerjob\"", "\"name\": \"docker-hello\"")
          .replace("R/2014-09-25T17:22:00Z/PT2M", "R1//PT1H")
          .replace("\"hostPath\": \"/tmp/\"", "\"hostPath\": \"" + cluster.dir + "\"")
          .replace("echo hello from a container; date -u",
              "test -f /.dockerenv && echo in a container as $TRELLIS_JOB_NAME && echo written > /var/log/from-container");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!jobs.isLeader() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      api.post("/v1/scheduler/iso8601", definition);
      JsonNode h = api.awaitHistory("docker-hello", x -> Api.count(x, "SUCCEEDED") + Api.count(x, "FAILED") == 1,
          Duration.ofSeconds(120));
      assertEquals("SUCCEEDED", h.get(0).path("state").asText(), h.toString());
      String taskId = h.get(0).path("taskId").asText();
      List<Path> stdout = new ArrayList<>();
      try (var walk = Files.walk(cluster.dir.resolve("agent"))) {
        walk.filter(p -> p.toString().contains(taskId) && p.getFileName().toString().equals("stdout")).forEach(stdout::add);
      }
      assertTrue(Files.readString(stdout.get(0)).contains("in a container as docker-hello"), Files.readString(stdout.get(0)));
      assertEquals("written\n", Files.readString(cluster.dir.resolve("from-container")), "the volume is mounted");
    }
  }
}
