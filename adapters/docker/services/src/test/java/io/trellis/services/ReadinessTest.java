package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness checks, probed by the framework during deployments: a new instance that runs but is
 * not ready yet does not replace an old one, and the deployment shows why it waits.
 */
class ReadinessTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32200-32249]", "");
  }

  static String app(String version, int readyAfterSeconds) {
    return """
        {"id": "/ready", "cmd": "(sleep %d; echo ok > ready) & exec busybox httpd -f -p $PORT0",
         "instances": 2, "cpus": 0.1, "mem": 16, "env": {"V": "%s"},
         "portDefinitions": [{"port": 0, "name": "http"}],
         "readinessChecks": [{"name": "ready", "protocol": "HTTP", "path": "/ready", "portName": "http",
           "intervalSeconds": 0.5, "timeoutSeconds": 2, "httpStatusCodesForReady": [200]}],
         "upgradeStrategy": {"minimumHealthCapacity": 1, "maximumOverCapacity": 0.5}}"""
        .formatted(readyAfterSeconds, version);
  }

  @Test
  void oldInstancesStayUntilNewOnesAreReady() throws Exception {
    assertEquals(201, api.send("POST", "/v2/apps", app("v1", 0)).status());
    Waits.until("v1 deployed", Duration.ofSeconds(60), () -> api.deploymentsDone() && api.readyInstances("/ready") == 2);
    String v1 = api.app("/ready").path("versionInfo").path("lastConfigChangeAt").asText();

    assertEquals(200, api.send("PUT", "/v2/apps/ready", app("v2", 4)).status());
    Waits.until("a new instance runs but is not ready", Duration.ofSeconds(30), () -> {
      JsonNode d = api.get("/v2/deployments").body();
      if (d.size() != 1) {
        return false;
      }
      JsonNode results = d.get(0).path("currentActions").get(0).path("readinessCheckResults");
      return results.size() >= 1 && !results.get(0).path("ready").asBoolean();
    });
    int[] minOld = {Integer.MAX_VALUE};
    Waits.until("v2 deployed", Duration.ofSeconds(60), () -> {
      JsonNode tasks = api.app("/ready").path("tasks");
      int oldRunning = 0;
      for (JsonNode t : tasks) {
        if (t.path("version").asText().equals(v1) && t.path("state").asText().equals("TASK_RUNNING")) {
          oldRunning++;
        }
      }
      JsonNode d = api.get("/v2/deployments").body();
      boolean noneReady = d.size() == 1 && d.get(0).path("currentActions").get(0).path("readinessCheckResults")
          .findValuesAsText("ready").stream().noneMatch("true"::equals);
      if (noneReady) {
        minOld[0] = Math.min(minOld[0], oldRunning);
      }
      boolean done = api.deploymentsDone();
      return done && api.readyInstances("/ready") == 2;
    });
    assertEquals(2, minOld[0], "old instances went before any new one was ready");
    assertEquals(200, api.send("DELETE", "/v2/apps/ready", null).status());
  }
}
