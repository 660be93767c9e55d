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
 * A word count that loses a NodeManager and has another flexed down while it runs: YARN reruns
 * what ran on the dead NM (its task is gone, so YARN forgets the node at once), the decommissioned
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
    nm.descendants().forEach(ProcessHandle::destroyForcibly);
    nm.destroyForcibly();
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

    JsonNode lost = cluster.yarn("/ws/v1/cluster/nodes?states=LOST");
    assertTrue(lost.toString().contains(victimNode), "the killed NM's node is LOST in YARN: " + lost);
    cluster.awaitYarn("the decommissioned NM gone", m -> m.path("decommissionedNodes").asInt() == 1
        && m.path("activeNodes").asInt() == 2, 120);
    cluster.await("two NodeManager tasks left", s -> YarnCluster.nodeManagerTasks(s).size() == 2, 60);
  }

  private static String awaitAmNode() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      for (JsonNode app : apps()) {
        String host = app.path("amHostHttpAddress").asText("");
        if (app.path("state").asText().equals("RUNNING") && !host.isEmpty()) {
          int webPort = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
          for (JsonNode t : YarnCluster.nodeManagerTasks(cluster.state())) {
            String[] ports = t.path("labels").path("hadoop-ports").asText().split(",");
            if (ports.length == 4 && Integer.parseInt(ports[2]) == webPort) {
              return t.path("labels").path("hadoop-yarn-node-id").asText();
            }
          }
        }
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError("the job's application master did not start");
  }

  private static JsonNode apps() throws Exception {
    JsonNode apps = cluster.yarn("/ws/v1/cluster/apps");
    JsonNode list = apps.path("apps").path("app");
    return list.isMissingNode() ? apps.path("app") : list;
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
