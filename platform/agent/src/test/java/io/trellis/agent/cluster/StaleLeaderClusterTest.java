package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.Json;
import io.trellis.api.TaskSpec;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.AgentClient;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * A deposed master cannot act on an agent: once the agent has seen a newer leader's epoch it
 * refuses launches and kills that name an older one. Real ZooKeeper, masters and agent.
 */
class StaleLeaderClusterTest {
  private static final String RESOURCES = "cpus:2;mem:512";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private JsonNode get(String endpoint, String path) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private void awaitAgentRegisteredWith(MasterProcess m) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      JsonNode agents = get(m.endpoint(), "/api/v1/state").path("agents");
      if (agents.size() == 1 && agents.get(0).path("reachable").asBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the agent did not register with " + m.endpoint() + " within 30 s: " + agents);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  @Test
  void anAgentRefusesLaunchesAndKillsFromAMasterOfAnOlderEpoch() throws Exception {
    Path dir = Files.createTempDirectory("trellis-stale-leader-test-");
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      MasterProcess first = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
      try (AgentProcess agent = AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0)
          .withResources(RESOURCES), Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(zkSpec))) {
        awaitAgentRegisteredWith(first);
        first.close();
        try (MasterProcess second = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec)) {
          awaitAgentRegisteredWith(second);
          assertEquals(2, get(second.endpoint(), "/api/v1/state").path("epoch").asLong());

          // The first master, deposed in epoch 1, still tries to act.
          try (AgentClient deposed = new AgentClient(1)) {
            TaskSpec task = new TaskSpec("stale", "stale", agent.agentId(), "cpus:0.1;mem:16",
                CommandSpec.shell("sleep 600"), Map.of(), 1.0, null);
            CompletionException launch = assertThrows(CompletionException.class,
                () -> deposed.launch(agent.endpoint(), new AgentProtocol.Launch("fw-1", "*", task)).join());
            assertTrue(launch.getMessage().contains("409") && launch.getMessage().contains("epoch 1")
                && launch.getMessage().contains("epoch 2"), launch.getMessage());
            CompletionException kill = assertThrows(CompletionException.class,
                () -> deposed.kill(agent.endpoint(), new AgentProtocol.Kill("fw-1", "stale", 0.0)).join());
            assertTrue(kill.getMessage().contains("409"), kill.getMessage());
          }
          assertEquals(0, get(agent.endpoint(), "/state").path("tasks").size(), "nothing was launched");
        }
      }
    }
  }
}
