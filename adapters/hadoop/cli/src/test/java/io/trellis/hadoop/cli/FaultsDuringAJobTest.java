package io.trellis.hadoop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A word count that loses a NodeManager (its process killed with SIGTERM, as a task kill does) and
 * has another flexed down while it runs: YARN reruns what ran on the dead NM (its task is gone, so
 * YARN forgets the node at once), the decommissioned
 * NM keeps its containers until they finish, and the job's output is right.
 */
class FaultsDuringAJobTest {
  static YarnCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new YarnCluster();
    cluster.startResourceManager("--auto", "false", "--max", "4");
    cluster.awaitResourceManager();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aJobSurvivesAKilledNodeManagerAndAGracefulFlexdown() throws Exception {
    YarnCluster.Result up = cluster.run("hadoop", "flexup", "--instances", "4", "--profile", "small");
    assertEquals(0, up.code(), up.output());
    cluster.awaitYarn("four active nodes", m -> m.path("activeNodes").asInt() == 4, 180);

    Path in = cluster.dir.resolve("in");
    Map<String, Long> expected = YarnCluster.words(in, 8, 30000);
    Path out = cluster.dir.resolve("out");
    Path log = cluster.dir.resolve("job.log");
    Process job = cluster.start(log, "hadoop", "jar", YarnCluster.examplesJar().toString(),
        "io.trellis.hadoop.examples.WordCount", in.toString(), out.toString());

    // An NM running map tasks but not the application master is lost mid-job.
    String amNode = awaitAmNode();
    JsonNode victim = awaitNode(n -> n.path("containers").asInt() > 0 && !n.path("nodeId").asText().equals(amNode));
    String victimNode = victim.path("nodeId").asText();
    int port = Integer.parseInt(victimNode.substring(victimNode.lastIndexOf(':') + 1));
    ProcessHandle nm = ProcessHandle.allProcesses()
        .filter(p -> YarnCluster.commandLine(p).contains("yarn.nodemanager.address=127.0.0.1:" + port + " "))
        .findFirst().orElseThrow(() -> new AssertionError("no NodeManager process on port " + port));
    // Killed as Trellis kills a task: SIGTERM to the NodeManager, which stops its containers.
    nm.destroy();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cluster.control("/v1/status").toString().contains(victimNode) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200);
    }

    // Another NM (not the AM's) is flexed down while the job runs: the least busy goes.
    YarnCluster.Result down = cluster.run("hadoop", "flexdown", "--instances", "1");
    assertEquals(0, down.code(), down.output());

    assertTrue(job.waitFor(300, TimeUnit.SECONDS), "the job did not end: " + Files.readString(log));
    assertEquals(0, job.exitValue(), Files.readString(log));
    assertEquals(expected, YarnCluster.output(out));

    JsonNode gone = cluster.yarn("/ws/v1/cluster/nodes?states=LOST,SHUTDOWN");
    assertTrue(gone.toString().contains(victimNode), "the killed NM's node is gone from YARN: " + gone);
    cluster.awaitYarn("the decommissioned NM gone", m -> m.path("decommissionedNodes").asInt() == 1
        && m.path("activeNodes").asInt() == 2, 120);
    cluster.await("two NodeManager tasks left", s -> YarnCluster.nodeManagerTasks(s).size() == 2, 60);
  }

  /** The node of the NM whose sandbox holds the application master's container (its first). */
  private static String awaitAmNode() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      Optional<Path> am;
      try (var files = Files.walk(cluster.dir, 9)) {
        am = files.filter(p -> p.getFileName().toString().matches("container_.*_01_000001")).findFirst();
      } catch (java.io.UncheckedIOException racing) {
        am = Optional.empty();
      }
      if (am.isPresent()) {
        for (JsonNode t : YarnCluster.nodeManagerTasks(cluster.state())) {
          if (am.get().toString().contains("/" + t.path("id").asText() + "/")) {
            return t.path("labels").path("hadoop-yarn-node-id").asText();
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError("the job's application master did not start");
  }

  private static JsonNode awaitNode(java.util.function.Predicate<JsonNode> p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> n = java.util.stream.StreamSupport.stream(
          cluster.control("/v1/status").path("nodeManagers").path("nodes").spliterator(), false).filter(p).findFirst();
      if (n.isPresent()) {
        return n.get();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("no NodeManager matched; status: " + cluster.control("/v1/status"));
  }
}
