package io.trellis.storm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.storm.examples.Sentences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The machine of a supervisor lost: its agent runs as its own process ({@code trellis agent}) and
 * is killed with everything it started, as a power cut would. Trellis reports the agent's tasks
 * unreachable, Storm's executors move to a supervisor launched on the other agent, and the word
 * count goes on to its full counts.
 */
class LostAgentTest {
  private StormCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aLostAgentsWorkersMoveToASupervisorOnAnotherAgentAndCountingContinues() throws Exception {
    cluster = new StormCluster("cpus:2;mem:2048", 0, Duration.ofSeconds(6));
    Process doomed = cluster.startAgentProcess("doomed-agent", "cpus:2;mem:2048");
    cluster.awaitAgents(1);
    cluster.startNimbus();
    long sentences = 3000;
    Path out = cluster.submitWordCount("lostagent", sentences, 1);
    cluster.awaitCounts(out, c -> c.values().stream().mapToLong(Long::longValue).sum() > 1000, 120);
    JsonNode victim = StormCluster.liveSupervisors(cluster.state()).get(0);
    String lostAgent = victim.path("agentId").asText();

    cluster.startAgent("cpus:2;mem:2048");
    cluster.awaitAgents(2);
    long before = total(StormCluster.counts(out));
    Path doomedDir = cluster.dir.resolve("doomed-agent");
    List<ProcessHandle> machine = ProcessHandle.allProcesses()
        .filter(p -> p.pid() == doomed.pid() || StormCluster.cwd(p).startsWith(doomedDir.toString())).toList();
    assertTrue(machine.size() >= 3, "the agent, the supervisor and its worker: " + machine.size() + " processes");
    machine.forEach(ProcessHandle::destroyForcibly);
    doomed.waitFor(30, TimeUnit.SECONDS);

    JsonNode state = cluster.await("a supervisor on another agent in place of " + victim.path("id").asText(),
        s -> StormCluster.liveSupervisors(s).stream().anyMatch(t -> !t.path("agentId").asText().equals(lostAgent)),
        120);
    assertTrue(StormCluster.count(state.path("agents"), a -> a.path("id").asText().equals(lostAgent)
        && !a.path("reachable").asBoolean()) == 1, "the killed agent is unreachable: " + state.path("agents"));
    Map<String, Long> expected = Sentences.expectedCounts(sentences);
    cluster.awaitCounts(out, c -> expected.entrySet().stream().allMatch(e -> c.getOrDefault(e.getKey(), 0L) >= e.getValue()),
        240);
    assertTrue(total(StormCluster.counts(out)) > before, "counting went on after the agent was lost");
    assertTrue(Files.exists(out.resolve("first-ack")));

    assertEquals(0, cluster.run(List.of("storm", "kill", "lostagent", "--nimbus", cluster.nimbus), 120).status());
    cluster.await("no live supervisor", s -> StormCluster.liveSupervisors(s).stream()
        .noneMatch(t -> !t.path("agentId").asText().equals(lostAgent)), 60);
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
