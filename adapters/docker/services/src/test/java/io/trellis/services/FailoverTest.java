package io.trellis.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentProcess;
import io.trellis.master.MasterProcess;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Failures around the framework: the leading master fails over (the framework follows the new
 * leader, reconciles, and launches no duplicate), and an agent is lost (its instances are
 * replaced on the remaining agent).
 */
class FailoverTest {
  @Test
  void aMasterFailoverLaunchesNoDuplicateAndLosesNoApp() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      MasterProcess standby = cluster.standbyMaster();
      cluster.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32000-32049]", "");
      cluster.startServices();
      V2 api = cluster.api;
      assertEquals(201, api.send("POST", "/v2/apps", """
          {"id": "/steady", "cmd": "sleep 1000", "instances": 3, "cpus": 0.1, "mem": 16, "portDefinitions": []}""").status());
      Waits.until("3 running", Duration.ofSeconds(60), () -> api.readyInstances("/steady") == 3 && api.deploymentsDone());
      Set<String> before = new HashSet<>(api.app("/steady").path("tasks").findValuesAsText("id"));

      cluster.master.close();
      Waits.until("the framework follows the new leader", Duration.ofSeconds(60),
          () -> standby.endpoint().equals(cluster.services.framework().master()));
      Waits.until("the agent re-registered with its tasks", Duration.ofSeconds(60), () -> cluster.liveTasksInMaster() == 3);
      // Give the framework time to act on reconciliation, then check nothing was added.
      Thread.sleep(3000);
      assertEquals(3, cluster.liveTasksInMaster(), "no duplicate after the failover");
      Set<String> after = new HashSet<>(api.app("/steady").path("tasks").findValuesAsText("id"));
      assertEquals(before, after, "the same instances");
      assertEquals(3, api.readyInstances("/steady"));

      assertEquals(200, api.send("PUT", "/v2/apps/steady", "{\"instances\": 4}").status());
      Waits.until("scaled on the new leader", Duration.ofSeconds(60), () -> api.readyInstances("/steady") == 4);
      assertEquals(4, cluster.liveTasksInMaster());
    }
  }

  /**
   * Leader changes in quick succession while the agent is away: each new master answers that it
   * does not know the instances yet. The grace for unknown instances counts within one master's
   * leadership, so two leaderships of under 30 s each, together over it, forget nothing.
   */
  @Test
  void quickLeaderChangesWhileTheAgentIsAwayForgetNoInstance() throws Exception {
    // The agent stays away for about 40 s: inside the removal timeout, as in a real cluster.
    try (TestCluster cluster = new TestCluster(Duration.ofSeconds(120))) {
      MasterProcess second = cluster.standbyMaster();
      AgentProcess agent = cluster.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32150-32199]", "");
      cluster.startServices();
      V2 api = cluster.api;
      assertEquals(201, api.send("POST", "/v2/apps", """
          {"id": "/kept", "cmd": "sleep 1000", "instances": 2, "cpus": 0.1, "mem": 16, "portDefinitions": []}""").status());
      Waits.until("2 running", Duration.ofSeconds(60), () -> api.readyInstances("/kept") == 2 && api.deploymentsDone());
      Set<String> before = new HashSet<>(api.app("/kept").path("tasks").findValuesAsText("id"));

      agent.close();
      cluster.master.close();
      Waits.until("the framework follows the second master", Duration.ofSeconds(60),
          () -> second.endpoint().equals(cluster.services.framework().master()));
      MasterProcess third = cluster.standbyMaster();
      Thread.sleep(18_000);
      second.close();
      Waits.until("the framework follows the third master", Duration.ofSeconds(60),
          () -> third.endpoint().equals(cluster.services.framework().master()));
      Thread.sleep(18_000);
      cluster.restart(agent);
      Waits.until("the agent's tasks known again", Duration.ofSeconds(60), () -> cluster.liveTasksInMaster() == 2);
      Thread.sleep(6000);
      Set<String> after = new HashSet<>(api.app("/kept").path("tasks").findValuesAsText("id"));
      assertEquals(before, after, "the same instances, none forgotten and replaced");
      assertEquals(2, cluster.liveTasksInMaster());
      assertEquals(2, api.readyInstances("/kept"));
    }
  }

  @Test
  void instancesOnALostAgentAreReplaced() throws Exception {
    try (TestCluster cluster = new TestCluster()) {
      cluster.agent("127.0.0.1", "cpus:4;mem:2048;disk:1000;ports:[32050-32099]", "");
      cluster.agent("127.0.0.2", "cpus:4;mem:2048;disk:1000;ports:[32100-32149]", "");
      cluster.startServices();
      V2 api = cluster.api;
      assertEquals(201, api.send("POST", "/v2/apps", """
          {"id": "/spread", "cmd": "sleep 1000", "instances": 2, "cpus": 0.1, "mem": 16, "portDefinitions": []}""").status());
      Waits.until("2 running", Duration.ofSeconds(60), () -> api.readyInstances("/spread") == 2);
      JsonNode victim = api.app("/spread").path("tasks").get(0);
      String lostId = victim.path("id").asText();
      String lostHost = victim.path("host").asText();
      AgentProcess doomed = cluster.agents.get(lostHost.equals("127.0.0.1") ? 0 : 1);
      doomed.close();
      cluster.agents.remove(doomed);
      Waits.until("the lost instance replaced", Duration.ofSeconds(60), () -> {
        JsonNode tasks = api.app("/spread").path("tasks");
        int running = 0;
        for (JsonNode t : tasks) {
          if (t.path("state").asText().equals("TASK_RUNNING") && !t.path("host").asText().equals(lostHost)) {
            running++;
          }
        }
        return running == 2;
      });
      Waits.until("the lost instances forgotten", Duration.ofSeconds(60), () -> {
        JsonNode tasks = api.app("/spread").path("tasks");
        return tasks.size() == 2 && !tasks.findValuesAsText("id").contains(lostId);
      });
      for (JsonNode t : api.app("/spread").path("tasks")) {
        assertNotEquals(lostHost, t.path("host").asText());
      }
      assertTrue(api.app("/spread").path("lastTaskFailure").path("state").asText().equals("TASK_LOST"),
          api.app("/spread").path("lastTaskFailure").toString());
    }
  }
}
