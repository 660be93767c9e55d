package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;

/**
 * What {@code /v2/queue} says about apps that cannot run, on a real cluster: an app the framework
 * cannot handle is reported on that app while the others launch; a task's last failure with the
 * tail of its stderr; a port outside the agent's range; and an app waiting on a constraint
 * declines its offers with a filter instead of taking every offer again at once.
 */
class QueueReasonsTest extends ServicesClusterTest {
  @Override
  void agents(TestCluster c) throws Exception {
    c.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[31600-31649]", "");
    // A definition stored by hand (or by an older version) that no longer passes validation.
    try (CuratorFramework zk = CuratorFrameworkFactory.newClient(c.zk.getConnectString(), new RetryOneTime(100))) {
      zk.start();
      zk.create().creatingParentsIfNeeded().forPath("/trellis/services/apps/%2Fbroken", """
          {"id": "/broken", "cmd": "sleep 1000", "instances": 1, "cpus": 0.01, "mem": 8, "portDefinitions": [],
           "constraints": [["hostname", "SOMETIMES"]], "version": "2026-01-01T00:00:00Z",
           "versionInfo": {"lastScalingAt": "2026-01-01T00:00:00Z", "lastConfigChangeAt": "2026-01-01T00:00:00Z"}}"""
          .getBytes(StandardCharsets.UTF_8));
    }
  }

  private JsonNode queued(String app) {
    for (JsonNode q : api.get("/v2/queue").body().path("queue")) {
      if (q.path("app").path("id").asText().equals(app)) {
        return q;
      }
    }
    return null;
  }

  @Test
  void anAppTheFrameworkCannotHandleIsReportedOnThatApp_andTheOthersLaunch() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": \"/healthy\", \"cmd\": \"sleep 1000\", \"cpus\": 0.01, \"mem\": 8,"
        + " \"portDefinitions\": []}");
    assertEquals(201, r.status(), r.text());
    Waits.until("the good app runs beside the broken one", Duration.ofSeconds(60), () -> api.readyInstances("/healthy") == 1);
    Waits.until("the queue names the broken app's problem", Duration.ofSeconds(30), () -> {
      JsonNode q = queued("/broken");
      return q != null && q.path("reason").asText().contains("unknown constraint operator: SOMETIMES");
    });
    assertEquals(200, api.send("DELETE", "/v2/apps/broken?force=true", null).status());
    assertEquals(200, api.send("DELETE", "/v2/apps/healthy?force=true", null).status());
  }

  @Test
  void aTasksLastFailureWithItsStderrIsInTheQueueAndTheApp() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": \"/typo\", \"cmd\": \"echo about to fail >&2; no-such-command-xyz\","
        + " \"cpus\": 0.01, \"mem\": 8, \"portDefinitions\": [], \"backoffSeconds\": 30}");
    assertEquals(201, r.status(), r.text());
    Waits.until("the queue shows the exit status and the stderr tail", Duration.ofSeconds(60), () -> {
      JsonNode q = queued("/typo");
      String failure = q == null ? "" : q.path("lastTaskFailure").path("message").asText();
      return failure.contains("exited with status 127") && failure.contains("no-such-command-xyz")
          && q.path("reason").asText().contains("exited with status 127");
    });
    String app = api.app("/typo").path("lastTaskFailure").path("message").asText();
    assertTrue(app.contains("about to fail"), app);
    assertEquals(200, api.send("DELETE", "/v2/apps/typo?force=true", null).status());
  }

  /** Posts a small app with {@code fields} and waits until the queue's reason for it says {@code reason}. */
  private void waitsSaying(String id, String fields, String reason) throws InterruptedException {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": \"" + id + "\", \"cmd\": \"sleep 1000\", \"cpus\": 0.01,"
        + " \"mem\": 8, " + fields + "}");
    assertEquals(201, r.status(), r.text());
    Waits.until("the queue says " + reason, Duration.ofSeconds(30), () -> {
      JsonNode q = queued(id);
      return q != null && q.path("reason").asText().contains(reason);
    });
  }

  @Test
  void aPortOutsideTheAgentsRangeIsNamedSo() throws Exception {
    waitsSaying("/fixed", "\"requirePorts\": true, \"portDefinitions\": [{\"port\": 7777}]", "outside the agent's ports");
    assertEquals(200, api.send("DELETE", "/v2/apps/fixed?force=true", null).status());
  }

  @Test
  void anAppWaitingOnAConstraintDeclinesWithAFilter() throws Exception {
    waitsSaying("/elsewhere", "\"portDefinitions\": [], \"constraints\": [[\"hostname\", \"LIKE\", \"no-such-host\"]]",
        "constraint");
    int before = queued("/elsewhere").path("processedOffersSummary").path("processedOffersCount").asInt();
    Thread.sleep(5000);
    int after = queued("/elsewhere").path("processedOffersSummary").path("processedOffersCount").asInt();
    System.out.printf("offers looked at by an app waiting on a constraint in 5 s: %d%n", after - before);
    assertTrue(after - before <= 2, "offers looked at in 5 s: " + (after - before));
    assertEquals(200, api.send("DELETE", "/v2/apps/elsewhere?force=true", null).status());
  }

  /** The demand the services framework stated for {@code app} at the master, or {@code null}. */
  private JsonNode demandAtMaster(String app) {
    for (JsonNode f : cluster.operator.state().path("frameworks")) {
      for (JsonNode d : f.path("demands")) {
        if (d.path("id").asText().equals(app)) {
          return d;
        }
      }
    }
    return null;
  }

  @Test
  void instancesWaitingForResourcesAreStatedToTheMasterAsADemand() throws Exception {
    V2.Reply r = api.send("POST", "/v2/apps", "{\"id\": \"/big\", \"cmd\": \"sleep 1000\", \"cpus\": 3, \"mem\": 64,"
        + " \"instances\": 2, \"portDefinitions\": []}");
    assertEquals(201, r.status(), r.text());
    Waits.until("one instance runs, the other is a demand of one member at the master", Duration.ofSeconds(60), () -> {
      JsonNode d = demandAtMaster("/big");
      return api.readyInstances("/big") == 1 && d != null && d.path("count").asInt() == 1
          && d.path("resources").asText().contains("cpus:3");
    });
    assertEquals(200, api.send("PUT", "/v2/apps/big?force=true", "{\"instances\": 1}").status());
    Waits.until("the demand is withdrawn once nothing waits", Duration.ofSeconds(30), () -> demandAtMaster("/big") == null);
    assertEquals(200, api.send("DELETE", "/v2/apps/big?force=true", null).status());
  }
}
