package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two services instances on one ZooKeeper: one leads, the other stands by and passes API calls
 * on to it; when the leader goes away, the standby takes over the same framework and its
 * instances, launching no duplicate.
 */
class HighAvailabilityTest {
  @Test
  void aStandbyPassesCallsOnAndTakesOverWithoutDuplicates() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32400-32449]", "");
      ServicesProcess leader = cluster.startServices();
      String leaderAddress = "127.0.0.1:" + leader.port();
      try (ServicesProcess second = ServicesProcess.start(cluster.zkSpec, null, "*", "127.0.0.1", 0)) {
        V2 standby = new V2("http://127.0.0.1:" + second.port());
        assertFalse(second.leads());
        assertNull(second.framework());
        assertEquals(leaderAddress, standby.get("/v2/leader").body().path("leader").asText());
        V2.Reply info = standby.get("/v2/info");
        assertFalse(info.body().path("elected").asBoolean(), info.text());
        assertEquals(leaderAddress, info.body().path("leader").asText());
        V2.Reply health = standby.get("/health");
        assertEquals(200, health.status(), health.text());
        assertFalse(health.body().path("leading").asBoolean(), health.text());
        assertEquals(leaderAddress, health.body().path("leader").asText(), health.text());

        // Calls to the standby reach the leader and come back with its answers.
        V2.Reply created = standby.send("POST", "/v2/apps", """
            {"id": "/ha/web", "cmd": "sleep 1000", "instances": 2, "cpus": 0.1, "mem": 16, "portDefinitions": []}""");
        assertEquals(201, created.status(), created.text());
        assertEquals(leaderAddress, created.raw().headers().firstValue("X-Trellis-Services-Via").orElse(""));
        assertEquals(422, standby.send("POST", "/v2/apps", "{\"id\": \"/ha/bad\", \"cpus\": -1}").status());
        assertEquals(404, standby.get("/v2/apps/ha/missing").status());
        Waits.until("2 running, seen through the standby", Duration.ofSeconds(60),
            () -> standby.readyInstances("/ha/web") == 2 && standby.deploymentsDone());
        Set<String> before = new HashSet<>(standby.app("/ha/web").path("tasks").findValuesAsText("id"));

        cluster.stopServices();
        Waits.until("the standby leads and subscribed", Duration.ofSeconds(60),
            () -> second.leads() && second.framework() != null && second.framework().master() != null);
        assertTrue(standby.get("/v2/info").body().path("elected").asBoolean());
        Waits.until("the new leader has recovered", Duration.ofSeconds(60),
            () -> standby.get("/health").body().path("recovered").asBoolean());
        // Give the new leader time to act on reconciliation, then check nothing was added.
        Thread.sleep(3000);
        assertEquals(2, cluster.liveTasksInMaster(), "no duplicate after the takeover");
        assertEquals(before, new HashSet<>(standby.app("/ha/web").path("tasks").findValuesAsText("id")));

        assertEquals(200, standby.send("PUT", "/v2/apps/ha/web", "{\"instances\": 3}").status());
        Waits.until("scaled by the new leader", Duration.ofSeconds(60),
            () -> standby.readyInstances("/ha/web") == 3);
        assertEquals(3, cluster.liveTasksInMaster());
      }
    }
  }
}
