package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.Json;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The agent heartbeats as often as its {@code heartbeat-interval} says: set longer than the
 * master's agent timeout, the master marks the agent unreachable after registering it, which the
 * default of one second never lets happen. A real master and agent.
 */
class HeartbeatIntervalClusterTest {
  private static final String RESOURCES = "cpus:1;mem:256";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void anAgentHeartbeatsAtItsConfiguredInterval() throws Exception {
    Path dir = Files.createTempDirectory("trellis-heartbeat-interval-test-");
    MasterConfig config = MasterConfig.defaults().withPort(0).withHeartbeatInterval(Duration.ofSeconds(1))
        .withAgentTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(10));
    try (MasterProcess master = MasterProcess.standalone(config);
        AgentProcess agent = AgentProcess.start(AgentConfig.of(master.endpoint(), dir.resolve("agent")).withPort(0)
            .withResources(RESOURCES).withSettings(Map.of(AgentConfig.HEARTBEAT_INTERVAL, "60")),
            Resources.parse(RESOURCES), Attributes.NONE, MasterDetectors.from(master.endpoint()))) {
      awaitAgent(master, a -> a.path("reachable").asBoolean());
      JsonNode silent = awaitAgent(master, a -> !a.path("reachable").asBoolean());
      assertEquals(agent.agentId(), silent.path("id").asText());
    } finally {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void theIntervalComesFromTheAgentsSettings() {
    AgentConfig config = AgentConfig.of("127.0.0.1:5050", Path.of("/tmp/unused"));
    assertEquals(Duration.ofSeconds(1), config.heartbeatInterval(), "the default");
    assertEquals(Duration.ofSeconds(7), config.withSettings(Map.of(AgentConfig.HEARTBEAT_INTERVAL, "7")).heartbeatInterval());
  }

  private JsonNode awaitAgent(MasterProcess m, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode agents = null;
    while (System.nanoTime() < deadline) {
      agents = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + m.endpoint()
          + "/api/v1/state")).build(), HttpResponse.BodyHandlers.ofString()).body()).path("agents");
      if (agents.size() == 1 && condition.test(agents.get(0))) {
        return agents.get(0);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the agent not as awaited within 30 s: " + agents);
  }
}
