package io.trellis.hadoop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Flexing by hand (automatic mode off, minimum 1): flexup and flexdown change the number of
 * NodeManagers the ResourceManager counts, a flexdown below the minimum changes nothing, and a
 * ResourceManager restarted after a crash adopts the NodeManager tasks that kept running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlexAndRestartTest {
  static YarnCluster cluster;
  static final String[] OPTIONS = {"--auto", "false", "--min", "1", "--max", "3"};

  @BeforeAll
  static void start() throws Exception {
    cluster = new YarnCluster();
    cluster.startResourceManager(OPTIONS);
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
  void flexupAndFlexdownChangeTheResourceManagersActiveNodeCount() throws Exception {
    YarnCluster.Result up = cluster.run("hadoop", "flexup", "--instances", "2", "--profile", "small");
    assertEquals(0, up.code(), up.output());
    cluster.awaitYarn("two active nodes", m -> m.path("activeNodes").asInt() == 2, 120);
    JsonNode state = cluster.state();
    assertEquals(2, YarnCluster.nodeManagerTasks(state).size());
    for (JsonNode t : YarnCluster.nodeManagerTasks(state)) {
      assertEquals("hadoop", t.path("role").asText());
    }

    YarnCluster.Result down = cluster.run("hadoop", "flexdown", "--instances", "1");
    assertEquals(0, down.code(), down.output());
    cluster.awaitYarn("one active node", m -> m.path("activeNodes").asInt() == 1
        && m.path("decommissioningNodes").asInt() == 0, 60);
    cluster.await("one NodeManager task", s -> YarnCluster.nodeManagerTasks(s).size() == 1, 60);

    YarnCluster.Result status = cluster.run("hadoop", "status");
    assertEquals(0, status.code(), status.output());
    String nodeId = YarnCluster.nodeManagerTasks(cluster.state()).get(0).path("labels").path("hadoop-yarn-node-id").asText();
    assertTrue(status.output().contains(nodeId) && status.output().contains("RUNNING"), status.output());
  }

  /** The hadoop framework's demand {@code id} in the master's state, or {@code null}. */
  private static JsonNode demand(JsonNode state, String prefix) {
    for (JsonNode f : state.path("frameworks")) {
      for (JsonNode d : f.path("demands")) {
        if (d.path("id").asText().startsWith(prefix)) {
          return d;
        }
      }
    }
    return null;
  }

  @Test
  @Order(2)
  void aFlexupTogetherStartsNoNodeManagerUntilAllFit() throws Exception {
    // One small NM runs on one of the two agents, so only one large NM (a whole agent) fits now.
    YarnCluster.Result up = cluster.run("hadoop", "flexup", "--instances", "2", "--profile", "large", "--together");
    assertEquals(0, up.code(), up.output());
    assertTrue(up.output().contains("together accepted"), up.output());
    JsonNode waiting = cluster.await("the gang of two large NodeManagers waiting at the master",
        s -> demand(s, "flexup-") != null && demand(s, "flexup-").path("gang").path("minMember").asInt() == 2, 30);
    assertTrue(List.of("WAITING", "HELD").contains(demand(waiting, "flexup-").path("state").asText()),
        demand(waiting, "flexup-").toString());
    Thread.sleep(5000);
    assertEquals(1, YarnCluster.nodeManagerTasks(cluster.state()).size(), "no large NodeManager started alone");
    assertEquals(1, cluster.yarnMetrics().path("activeNodes").asInt());

    YarnCluster.Result down = cluster.run("hadoop", "flexdown", "--instances", "2");
    assertEquals(0, down.code(), down.output());
    cluster.await("the gang withdrawn", s -> demand(s, "flexup-") == null, 30);
    assertEquals(1, YarnCluster.nodeManagerTasks(cluster.state()).size());

    // Two small NMs together do fit: they start from the gang's offers.
    YarnCluster.Result fits = cluster.run("hadoop", "flexup", "--instances", "2", "--profile", "small", "--together");
    assertEquals(0, fits.code(), fits.output());
    cluster.awaitYarn("three active nodes", m -> m.path("activeNodes").asInt() == 3, 120);
    cluster.await("the gang done with", s -> demand(s, "flexup-") == null, 30);
    assertEquals(0, cluster.run("hadoop", "flexdown", "--instances", "2").code());
    cluster.awaitYarn("one active node again", m -> m.path("activeNodes").asInt() == 1
        && m.path("decommissioningNodes").asInt() == 0, 90);
    cluster.await("one NodeManager task", s -> YarnCluster.nodeManagerTasks(s).size() == 1, 60);
  }

  @Test
  @Order(3)
  void aFlexdownBelowTheMinimumIsRefusedAndNothingChanges() throws Exception {
    YarnCluster.Result r = cluster.run("hadoop", "flexdown", "--instances", "1");
    assertNotEquals(0, r.code());
    assertTrue(r.output().contains("trellis hadoop flexdown: flexdown of 1 would leave 0 NodeManagers, below the minimum 1"),
        r.output());
    Thread.sleep(2000);
    assertEquals(1, YarnCluster.nodeManagerTasks(cluster.state()).size());
    assertEquals(1, cluster.yarnMetrics().path("activeNodes").asInt());
    assertEquals(0, cluster.yarnMetrics().path("decommissioningNodes").asInt());
  }

  @Test
  @Order(4)
  void aRestartedResourceManagerAdoptsTheRunningNodeManagersInsteadOfLaunchingMore() throws Exception {
    cluster.run("hadoop", "flexup", "--instances", "1");
    cluster.awaitYarn("two active nodes", m -> m.path("activeNodes").asInt() == 2, 120);
    Set<String> before = taskIds(cluster.state());
    assertEquals(2, before.size());

    cluster.crashResourceManager();
    cluster.startResourceManager(OPTIONS);
    cluster.awaitResourceManager();
    cluster.awaitYarn("the two NodeManagers registered again", m -> m.path("activeNodes").asInt() == 2, 120);

    Thread.sleep(3000);
    assertEquals(before, taskIds(cluster.state()), "the NodeManager tasks after the restart");
    assertEquals(2, cluster.yarnMetrics().path("activeNodes").asInt());
    JsonNode nodes = cluster.control("/v1/status").path("nodeManagers").path("nodes");
    assertEquals(2, nodes.size(), nodes.toString());
    for (JsonNode n : nodes) {
      assertEquals("RUNNING", n.path("yarnState").asText(), nodes.toString());
    }
    assertEquals(List.of(), waiting());
  }

  private static Set<String> taskIds(JsonNode state) {
    Set<String> ids = new TreeSet<>();
    YarnCluster.nodeManagerTasks(state).forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  private static List<JsonNode> waiting() throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    cluster.control("/v1/status").path("nodeManagers").path("waiting").forEach(out::add);
    return out;
  }
}
