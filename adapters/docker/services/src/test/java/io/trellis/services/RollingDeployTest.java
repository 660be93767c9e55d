package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Rolling upgrades on a real cluster: the number of ready instances never drops below
 * {@code minimumHealthCapacity}, the master never runs more than the over-capacity allows, and a
 * restart of the services framework in the middle of a deployment finishes it with no
 * duplicate instance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingDeployTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:16;mem:8192;disk:1000;ports:[31300-31399]", "");
  }

  static String app(String id, int instances, String marker) {
    return """
        {"id": "%s", "cmd": "echo %s > index.html && exec busybox httpd -f -p $PORT0",
         "instances": %d, "cpus": 0.1, "mem": 16,
         "upgradeStrategy": {"minimumHealthCapacity": 0.5, "maximumOverCapacity": 0.25}}"""
        .formatted(id, marker, instances);
  }

  /** Ready (RUNNING, not being killed) instances of any version, and all live ones. */
  int[] sample(String id) {
    JsonNode tasks = api.app(id).path("tasks");
    int ready = 0;
    for (JsonNode t : tasks) {
      if (t.path("state").asText().equals("TASK_RUNNING")) {
        ready++;
      }
    }
    return new int[] {ready, tasks.size()};
  }

  @Test
  @Order(1)
  void aRollingUpgradeKeepsTheMinimumHealthCapacity() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", app("/roll", 4, "v1")).status());
    Waits.until("4 instances of v1", Duration.ofSeconds(60), () -> api.readyInstances("/roll") == 4 && api.deploymentsDone());
    String v1 = api.app("/roll").path("versionInfo").path("lastConfigChangeAt").asText();

    List<int[]> samples = new ArrayList<>();
    List<Integer> masterSamples = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    V2.Reply put = api.send("PUT", "/v2/apps/roll", app("/roll", 4, "v2"));
    assertEquals(200, put.status(), put.text());
    Waits.until("the rolling upgrade finished", Duration.ofSeconds(90), () -> {
      samples.add(sample("/roll"));
      masterSamples.add(cluster.liveTasksInMaster());
      done.set(api.deploymentsDone() && api.readyInstances("/roll") == 4);
      return done.get();
    });
    for (int[] s : samples) {
      assertTrue(s[0] >= 2, "ready instances dropped to " + s[0] + " (minimum 2)");
    }
    JsonNode after = api.app("/roll");
    assertTrue(!after.path("versionInfo").path("lastConfigChangeAt").asText().equals(v1));
    for (JsonNode t : after.path("tasks")) {
      assertEquals(after.path("versionInfo").path("lastConfigChangeAt").asText(), t.path("version").asText());
      Waits.until("new version answers", Duration.ofSeconds(20),
          () -> V2.httpGet(t.path("host").asText(), t.path("ports").get(0).asInt()).equals("200 v2\n"));
    }
    Waits.until("the master runs 4 tasks", Duration.ofSeconds(30), () -> cluster.liveTasksInMaster() == 4);
    assertTrue(samples.size() > 1, "sampled during the deploy");
  }

  @Test
  @Order(2)
  void restartingTheFrameworkMidDeployLaunchesNoDuplicate() throws Exception {
    String frameworkId = api.get("/v2/info").body().path("frameworkId").asText();
    V2.Reply put = api.send("PUT", "/v2/apps/roll", app("/roll", 6, "v3"));
    assertEquals(200, put.status(), put.text());
    cluster.stopServices();
    int whileAway = cluster.liveTasksInMaster();
    assertTrue(whileAway <= 6 + 1, "at most 6 × 1.25 tasks, got " + whileAway);

    cluster.startServices();
    api = cluster.api;
    assertEquals(frameworkId, api.get("/v2/info").body().path("frameworkId").asText(), "the same framework again");
    List<Integer> live = new ArrayList<>();
    Waits.until("the deployment finished after the restart", Duration.ofSeconds(90), () -> {
      live.add(cluster.liveTasksInMaster());
      return api.deploymentsDone() && api.readyInstances("/roll") == 6;
    });
    for (int n : live) {
      assertTrue(n <= 6 + 1 + 4, "the master ran " + n + " tasks");
    }
    Waits.until("the master runs exactly 6 tasks", Duration.ofSeconds(30), () -> cluster.liveTasksInMaster() == 6);
    JsonNode tasks = api.app("/roll").path("tasks");
    assertEquals(6, tasks.size(), tasks.toString());
  }
}
