package io.trellis.hadoop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MapReduce on Trellis as a user runs it: {@code trellis hadoop resourcemanager} in automatic
 * mode, {@code trellis hadoop jar} of the examples' word count; NodeManagers come as role
 * {@code hadoop} tasks while YARN waits and go when idle. One ResourceManager and cluster for the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WordCountOnTrellisTest {
  static final int IDLE_GRACE = 8;
  static YarnCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = new YarnCluster();
    cluster.startResourceManager("--idle-grace", "" + IDLE_GRACE, "--min", "0", "--max", "4",
        "--profiles", "small=1:1536,medium=2:3072,huge=16:65536");
    cluster.awaitResourceManager();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void wordCountRunsOnNodeManagerTasksUnderRoleHadoopAndIdleOnesAreReturned() throws Exception {
    Path in = cluster.dir.resolve("wc-in");
    Map<String, Long> expected = YarnCluster.words(in, 2, 5000);
    Path out = cluster.dir.resolve("wc-out");
    Process job = cluster.start(cluster.dir.resolve("wc.log"), "hadoop", "jar", YarnCluster.examplesJar().toString(),
        "io.trellis.hadoop.examples.WordCount", in.toString(), out.toString());

    JsonNode state = cluster.await("a NodeManager task", s -> !YarnCluster.nodeManagerTasks(s).isEmpty(), 120);
    JsonNode nm = YarnCluster.nodeManagerTasks(state).get(0);
    assertEquals("hadoop", nm.path("role").asText());
    assertTrue(nm.path("labels").path("hadoop-yarn-node-id").asText().matches(".+:\\d+"), nm.toString());

    assertTrue(job.waitFor(240, TimeUnit.SECONDS), "the job did not end: " + Files.readString(cluster.dir.resolve("wc.log")));
    assertEquals(0, job.exitValue(), Files.readString(cluster.dir.resolve("wc.log")));
    assertEquals(expected, YarnCluster.output(out));

    // The control API is closed to callers without the ResourceManager's token.
    assertEquals(401, cluster.controlStatus("GET", "/v1/status", null));
    assertEquals(401, cluster.controlStatus("POST", "/v1/flexup", "Bearer not-the-token"));
    assertEquals(401, cluster.controlStatus("POST", "/v1/shutdown", null));

    // The NMs' YARN ids as the status shows them are those of their tasks' labels.
    JsonNode status = cluster.control("/v1/status").path("nodeManagers").path("nodes");
    assertFalse(status.isEmpty(), "no NodeManager right after the job: " + status);
    long started = System.nanoTime();
    cluster.await("every NodeManager returned", s -> YarnCluster.nodeManagerTasks(s).isEmpty(), IDLE_GRACE + 60);
    System.out.printf("NodeManagers returned %d s after the job (grace %d s)%n",
        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), IDLE_GRACE);
    cluster.awaitYarn("no active YARN node", m -> m.path("activeNodes").asInt() == 0, 30);
  }

  @Test
  @Order(2)
  void aMissingJarIsRefusedWithAClearMessage() throws Exception {
    YarnCluster.Result r = cluster.run("hadoop", "jar", cluster.dir.resolve("no-such.jar").toString(), "Main");
    assertNotEquals(0, r.code());
    assertTrue(r.output().contains("no-such.jar is not a readable file"), r.output());
    assertFalse(r.output().contains("Exception"), r.output());
  }

  @Test
  @Order(3)
  void aProfileLargerThanEveryAgentOrUnknownIsRefusedAndNothingChanges() throws Exception {
    YarnCluster.Result huge = cluster.run("hadoop", "flexup", "--instances", "1", "--profile", "huge");
    assertNotEquals(0, huge.code());
    assertTrue(huge.output().contains("trellis hadoop flexup: profile huge (cpus:16.0;mem:65536"), huge.output());
    assertTrue(huge.output().contains("is larger than every agent (the largest has cpus:4"), huge.output());
    YarnCluster.Result unknown = cluster.run("hadoop", "flexup", "--instances", "1", "--profile", "large");
    assertNotEquals(0, unknown.code());
    assertTrue(unknown.output().contains("unknown profile 'large'; known: "), unknown.output());
    assertFalse(huge.output().contains("Exception") || unknown.output().contains("Exception"));
    assertEquals(List.of(), waiting());
    assertTrue(YarnCluster.nodeManagerTasks(cluster.state()).isEmpty());
  }

  @Test
  @Order(4)
  void aFlexdownOfMoreThanThereAreOrAFlexupOfNoneIsRefusedAndNothingChanges() throws Exception {
    cluster.await("no NodeManager", s -> YarnCluster.nodeManagerTasks(s).isEmpty(), 60);
    YarnCluster.Result r = cluster.run("hadoop", "flexdown", "--instances", "1");
    assertNotEquals(0, r.code());
    assertTrue(r.output().contains("trellis hadoop flexdown: flexdown of 1: only 0 NodeManagers are running or waiting"),
        r.output());
    YarnCluster.Result bad = cluster.run("hadoop", "flexup", "--instances", "0");
    assertNotEquals(0, bad.code());
    assertTrue(bad.output().contains("instances 0 must be between 1 and the maximum 4"), bad.output());
    assertEquals(List.of(), waiting());
    assertTrue(YarnCluster.nodeManagerTasks(cluster.state()).isEmpty());
  }

  private static List<JsonNode> waiting() throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    cluster.control("/v1/status").path("nodeManagers").path("waiting").forEach(out::add);
    return out;
  }
}
