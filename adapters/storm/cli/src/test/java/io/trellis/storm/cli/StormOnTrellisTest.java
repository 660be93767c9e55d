package io.trellis.storm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.storm.examples.Sentences;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Storm on a real Trellis cluster, through the {@code trellis storm} commands: Nimbus in its own
 * JVM, supervisors and workers as processes of Trellis tasks on two agents, the word-count
 * example's counts read back from its files. One cluster and one Nimbus for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StormOnTrellisTest {
  private StormCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new StormCluster("cpus:2;mem:2048");
    cluster.startNimbus();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void anIdleClusterHoldsNoStormResources() throws Exception {
    TimeUnit.SECONDS.sleep(3);
    JsonNode state = cluster.state();
    assertTrue(StormCluster.liveSupervisors(state).isEmpty(), "no supervisor without a topology");
    assertTrue(StormCluster.allResourcesFree(state), "nothing in use: " + state.path("agents"));
    JsonNode framework = framework(state);
    assertEquals("storm", framework.path("roles").get(0).asText());
    String reasons = framework.path("reasons").toString();
    assertTrue(reasons.contains("SUPPRESSED"), "offers suppressed while idle: " + reasons);
    assertTrue(cluster.state().path("offers").isEmpty() || StormCluster.count(cluster.state().path("offers"),
        o -> o.path("frameworkId").asText().equals(framework.path("id").asText())) == 0, "no offer held");
  }

  @Test
  @Order(2)
  void wordCountRunsOnSupervisorTasksOfRoleStormAndKillReturnsEveryResource() throws Exception {
    long sentences = 1500;
    Path out = cluster.submitWordCount("wordcount", sentences, 2);
    JsonNode state = cluster.await("two supervisors", s -> StormCluster.liveSupervisors(s).size() == 2, 30);
    Set<String> agents = StormCluster.liveSupervisors(state).stream().map(t -> t.path("agentId").asText())
        .collect(Collectors.toSet());
    for (JsonNode t : StormCluster.liveSupervisors(state)) {
      assertEquals("storm", t.path("role").asText());
      assertTrue(t.path("labels").path("storm-topology-id").asText().startsWith("wordcount-"), t.toString());
      assertEquals("wordcount", t.path("labels").path("storm-topology-name").asText());
    }
    assertFalse(agents.isEmpty());
    Map<String, Long> expected = Sentences.expectedCounts(sentences);
    cluster.awaitCounts(out, c -> c.equals(expected), 120);
    assertTrue(Files.exists(out.resolve("first-ack")));
    StormCluster.Result list = cluster.run(List.of("storm", "list", "--nimbus", cluster.nimbus), 60);
    assertTrue(list.output().contains("wordcount") && list.output().contains("Running 2 workers"), list.output());
    JsonNode task = StormCluster.liveSupervisors(cluster.state()).get(0);
    String workerLog = "logs/workers-artifacts/" + task.path("labels").path("storm-topology-id").asText() + "/"
        + task.path("labels").path("storm-worker-ports").asText() + "/worker.log";
    assertTrue(cluster.readSandboxFile(task, workerLog).has("data"), "the worker's log through /files/read");
    assertTrue(cluster.readSandboxFile(task, "stderr").has("data"), "the supervisor's log through /files/read");

    long killed = System.nanoTime();
    StormCluster.Result kill = cluster.run(List.of("storm", "kill", "wordcount", "--wait", "1",
        "--nimbus", cluster.nimbus), 120);
    assertEquals(0, kill.status(), kill.output());
    cluster.await("every resource back", s -> StormCluster.liveSupervisors(s).isEmpty()
        && StormCluster.allResourcesFree(s), 30);
    System.out.printf("kill --wait 1 to every resource free: %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
  }

  @Test
  @Order(3)
  void aCrashedSupervisorIsReplacedAndANimbusRestartAdoptsTheRunningOnes() throws Exception {
    long sentences = 3000;
    Path out = cluster.submitWordCount("faults", sentences, 2);
    cluster.awaitCounts(out, c -> c.values().stream().mapToLong(Long::longValue).sum() > 1500, 120);
    JsonNode before = cluster.state();
    String victim = StormCluster.liveSupervisors(before).get(0).path("id").asText();
    cluster.crashSupervisor(victim);
    cluster.await("a new supervisor in place of " + victim, s -> StormCluster.liveSupervisors(s).size() == 2
        && StormCluster.liveSupervisors(s).stream().noneMatch(t -> t.path("id").asText().equals(victim)), 90);
    Map<String, Long> expected = Sentences.expectedCounts(sentences);
    cluster.awaitCounts(out, c -> atLeast(c, expected), 240);

    Set<String> running = ids(StormCluster.liveSupervisors(cluster.state()));
    cluster.stopNimbus();
    cluster.startNimbus();
    TimeUnit.SECONDS.sleep(10);
    StormCluster.Result list = cluster.run(List.of("storm", "list", "--nimbus", cluster.nimbus), 60);
    assertTrue(list.output().contains("faults") && list.output().contains("Running 2 workers"), list.output());
    assertEquals(running, ids(StormCluster.liveSupervisors(cluster.state())),
        "the restarted Nimbus adopted the running supervisors and launched none");

    assertEquals(0, cluster.run(List.of("storm", "kill", "faults", "--nimbus", cluster.nimbus), 120).status());
    cluster.await("every resource back", s -> StormCluster.liveSupervisors(s).isEmpty()
        && StormCluster.allResourcesFree(s), 30);
  }

  @Test
  @Order(4)
  void badInputGetsAClearMessageAndANonZeroExit() throws Exception {
    String jar = StormCluster.examplesJar().toString();
    StormCluster.Result missing = cluster.run(List.of("storm", "jar", "--nimbus", cluster.nimbus,
        cluster.dir.resolve("nope.jar").toString(), "x.Y"), 60);
    assertEquals(2, missing.status());
    assertTrue(missing.output().contains("does not exist"), missing.output());

    StormCluster.Result noClass = cluster.run(List.of("storm", "jar", "--nimbus", cluster.nimbus, jar,
        "io.trellis.storm.examples.NoSuchTopology"), 60);
    assertEquals(3, noClass.status(), noClass.output());
    assertTrue(noClass.output().contains("is not in"), noClass.output());

    StormCluster.Result notTopology = cluster.run(List.of("storm", "jar", "--nimbus", cluster.nimbus, jar,
        "io.trellis.storm.examples.Sentences"), 60);
    assertEquals(3, notTopology.status(), notTopology.output());
    assertTrue(notTopology.output().contains("not a topology"), notTopology.output());

    StormCluster.Result huge = cluster.run(List.of("storm", "jar", "--nimbus", cluster.nimbus, jar,
        "io.trellis.storm.examples.WordCount", "huge", cluster.dir.resolve("huge").toString(), "10", "1",
        "65536"), 120);
    assertEquals(4, huge.status(), huge.output());
    assertTrue(huge.output().contains("no agent can hold one worker of huge"), huge.output());
    assertFalse(huge.output().contains("Exception"), huge.output());
    StormCluster.Result list = cluster.run(List.of("storm", "list", "--nimbus", cluster.nimbus), 60);
    assertTrue(list.output().contains("no agent can hold one worker of huge"), list.output());
    assertTrue(StormCluster.liveSupervisors(cluster.state()).isEmpty());
    JsonNode demand = cluster.await("the topology's need stated to the master", s -> {
      for (JsonNode d : framework(s).path("demands")) {
        if (d.path("id").asText().startsWith("huge-")) {
          return true;
        }
      }
      return false;
    }, 30);
    for (JsonNode d : framework(demand).path("demands")) {
      if (d.path("id").asText().startsWith("huge-")) {
        assertEquals(1, d.path("count").asInt(), d.toString());
        assertTrue(d.path("resources").asText().contains("mem:"), d.toString());
        assertTrue(io.trellis.core.resource.Resources.parse(d.path("resources").asText()).scalar("mem") >= 65536, d.toString());
      }
    }
    assertEquals(0, cluster.run(List.of("storm", "kill", "huge", "--nimbus", cluster.nimbus), 120).status());

    StormCluster.Result unknown = cluster.run(List.of("storm", "kill", "nothing-here", "--nimbus", cluster.nimbus), 60);
    assertEquals(3, unknown.status());
    assertTrue(unknown.output().contains("no topology named 'nothing-here'"), unknown.output());
  }

  private JsonNode framework(JsonNode state) {
    for (JsonNode f : state.path("frameworks")) {
      if (f.path("name").asText().equals("storm")) {
        return f;
      }
    }
    throw new AssertionError("no storm framework in " + state.path("frameworks"));
  }

  private static Set<String> ids(List<JsonNode> tasks) {
    return tasks.stream().map(t -> t.path("id").asText()).collect(Collectors.toSet());
  }

  private static boolean atLeast(Map<String, Long> counts, Map<String, Long> expected) {
    return expected.entrySet().stream().allMatch(e -> counts.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }
}
