package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Health checks run by the real agent: instances of a command app turn healthy and count as
 * such; an app whose check fails has its instances replaced after maxConsecutiveFailures; a
 * rolling upgrade with health checks keeps the minimum of healthy instances.
 */
class HealthTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:8;mem:4096;disk:1000;ports:[31600-31699]", "");
  }

  static String web(String id, int instances, String marker, String path) {
    return """
        {"id": "%s", "cmd": "echo %s > index.html && exec busybox httpd -f -p $PORT0",
         "instances": %d, "cpus": 0.1, "mem": 16, "portDefinitions": [{"port": 0, "name": "http"}],
         "healthChecks": [{"protocol": "HTTP", "path": "%s", "portName": "http", "gracePeriodSeconds": 5,
           "intervalSeconds": 0.5, "timeoutSeconds": 2, "maxConsecutiveFailures": 2, "delaySeconds": 0}],
         "upgradeStrategy": {"minimumHealthCapacity": 0.67, "maximumOverCapacity": 0.34}}"""
        .formatted(id, marker, instances, path);
  }

  @Test
  void instancesTurnHealthyAndARollingUpgradeKeepsTheHealthyMinimum() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", web("/healthy", 3, "v1", "/index.html")).status());
    Waits.until("3 healthy instances", Duration.ofSeconds(60), () -> api.app("/healthy").path("tasksHealthy").asInt() == 3);
    Waits.until("deployment done", Duration.ofSeconds(30), api::deploymentsDone);
    JsonNode app = api.app("/healthy");
    assertEquals(0, app.path("tasksUnhealthy").asInt());
    for (JsonNode t : app.path("tasks")) {
      assertTrue(t.path("healthCheckResults").get(0).path("alive").asBoolean(), t.toString());
    }

    assertEquals(200, api.send("PUT", "/v2/apps/healthy", web("/healthy", 3, "v2", "/index.html")).status());
    int[] minimum = {Integer.MAX_VALUE};
    Waits.until("the upgrade finished", Duration.ofSeconds(90), () -> {
      int healthy = api.app("/healthy").path("tasksHealthy").asInt();
      minimum[0] = Math.min(minimum[0], healthy);
      return api.deploymentsDone() && api.readyInstances("/healthy") == 3;
    });
    assertTrue(minimum[0] >= 2, "healthy instances dropped to " + minimum[0] + " (minimum 2 of 3)");
    for (JsonNode t : api.app("/healthy").path("tasks")) {
      assertEquals("200 v2\n", V2.httpGet(t.path("host").asText(), t.path("ports").get(0).asInt()));
    }
    assertEquals(200, api.send("DELETE", "/v2/apps/healthy", null).status());
    Waits.until("healthy gone", Duration.ofSeconds(30), () -> api.deploymentsDone() && cluster.liveTasksInMaster() == 0);
  }

  @Test
  void instancesFailingTheirCheckAreReplaced() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", web("/sick", 1, "x", "/missing"));
    assertEquals(201, r.status(), r.text());
    Waits.until("the first instance running", Duration.ofSeconds(60), () -> api.app("/sick").path("tasks").size() == 1
        && api.app("/sick").path("tasks").get(0).path("state").asText().equals("TASK_RUNNING"));
    String first = api.app("/sick").path("tasks").get(0).path("id").asText();
    Waits.until("the unhealthy instance replaced", Duration.ofSeconds(60), () -> {
      JsonNode app = api.app("/sick");
      Set<String> ids = new HashSet<>(app.path("tasks").findValuesAsText("id"));
      return !ids.contains(first) && ids.size() == 1 && app.path("lastTaskFailure").path("taskId").asText().equals(first);
    });
    JsonNode failure = api.app("/sick").path("lastTaskFailure");
    assertEquals(first, failure.path("taskId").asText(), failure.toString());
    assertTrue(failure.path("message").asText().contains("404") || failure.path("message").asText().contains("HTTP"),
        failure.toString());
    assertEquals(409, api.send("DELETE", "/v2/apps/sick", null).status(), "its deployment never finishes");
    assertEquals(200, api.send("DELETE", "/v2/apps/sick?force=true", null).status());
    Waits.until("sick gone", Duration.ofSeconds(30), () -> api.deploymentsDone() && cluster.liveTasksInMaster() == 0);
  }
}
