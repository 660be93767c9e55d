package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Apache Spark's own {@code spark-submit} (its launcher and {@code SparkSubmit}, in JVMs of their
 * own, on a distribution's jars plus only the backend jar) against a real cluster: SparkPi's
 * executors run as Trellis tasks under role {@code spark}, with the options {@code trellis spark
 * env} prints or with the jar dropped into the distribution's {@code jars/}; what stock
 * {@code spark-submit} refuses, and bad or unreachable masters, end with a clear message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockSparkSubmitTest {
  private SparkCluster cluster;
  private SparkDistribution spark;

  @BeforeAll
  void start() throws Exception {
    cluster = new SparkCluster("cpus:4;mem:4096");
    spark = SparkDistribution.layOut(cluster.dir.resolve("spark-4.2.0-bin"), null);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String endpoint() {
    return SparkCommand.clusterAddress(cluster.masterUrl());
  }

  /** SparkPi of the examples' jar with small executors; the marker lets the cluster end what is left. */
  private List<String> sparkPi(String name, List<String> trellisOptions) throws Exception {
    List<String> args = new ArrayList<>(trellisOptions);
    args.addAll(List.of("--name", name, "--class", "io.trellis.spark.examples.SparkPi",
        "--driver-memory", "512m", "--executor-memory", "512m", "--total-executor-cores", "2",
        "--conf", "spark.executor.memoryOverhead=256m", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=" + cluster.marker,
        "--conf", "spark.driver.extraJavaOptions=" + cluster.marker,
        SparkCluster.examplesJar().toString(), "10"));
    return args;
  }

  /** The application's executor tasks in the master's state (they stay there once ended). */
  private List<JsonNode> executorTasks(String appName) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : cluster.operator.state().path("tasks")) {
      if (appName.equals(t.path("labels").path("spark-app-name").asText())) {
        out.add(t);
      }
    }
    return out;
  }

  private void assertPiRanOnTrellis(SparkCluster.Result r, String appName) {
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("Pi is roughly 3.1"), r.output());
    assertTrue(r.output().matches("(?s).*application \\S+ subscribed to Trellis as framework \\S+ under role spark.*"),
        r.output());
    List<JsonNode> executors = executorTasks(appName);
    assertFalse(executors.isEmpty(), "no executor task of " + appName + ": " + cluster.operator.state().path("tasks"));
    assertTrue(executors.size() <= 2, "at most 2 one-core executors for 2 cores: " + executors);
    for (JsonNode t : executors) {
      assertEquals("spark", t.path("role").asText(), t.toString());
      assertEquals("FINISHED", t.path("state").asText(), t.toString());
      assertTrue(t.path("id").asText().contains("-executor-"), t.toString());
    }
  }

  @Test
  void sparkPiRunsWithWhatTrellisSparkEnvPrints() throws Exception {
    SparkCluster.Result env = cluster.run(List.of("spark", "env", "--args", "--master", endpoint()), 60);
    assertEquals(0, env.status(), env.output());
    List<String> options = List.of(env.output().trim().split(" "));
    assertEquals(List.of("--master", "spark+trellis://" + endpoint(), "--jars",
        SparkDistribution.backendJar().toAbsolutePath().normalize().toString()), options);

    SparkCluster.Result r = spark.sparkSubmit(cluster.dir.resolve("pi.out"), sparkPi("stock-pi", options), 180);
    assertPiRanOnTrellis(r, "stock-pi");
  }

  @Test
  void sparkPiRunsWithTheBackendJarInTheDistributionsJarsAndAZooKeeperMaster() throws Exception {
    SparkDistribution withJar = SparkDistribution.layOut(cluster.dir.resolve("spark-with-backend"),
        SparkDistribution.backendJar());
    SparkCluster.Result r = withJar.sparkSubmit(cluster.dir.resolve("pi-zk.out"),
        sparkPi("stock-pi-zk", List.of("--master", "spark+trellis://" + cluster.zkSpec)), 180);
    assertPiRanOnTrellis(r, "stock-pi-zk");
  }

  @Test
  void stockSparkSubmitRefusesTrellisSchemeItselfAndNothingReachesTheCluster() throws Exception {
    int frameworks = cluster.operator.state().path("frameworks").size();
    SparkCluster.Result r = spark.sparkSubmit(cluster.dir.resolve("refused.out"), sparkPi("refused",
        List.of("--master", "trellis://" + endpoint(), "--jars", SparkDistribution.backendJar().toString())), 60);
    assertNotEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("Master must either be yarn or start with spark, k8s, or local"), r.output());
    assertEquals(frameworks, cluster.operator.state().path("frameworks").size());
  }

  @Test
  void clusterDeployModeIsNotPossibleThroughStockSparkSubmit() throws Exception {
    List<String> args = new ArrayList<>(List.of("--deploy-mode", "cluster"));
    args.addAll(sparkPi("cluster-mode", List.of("--master", "spark+trellis://" + endpoint(),
        "--jars", SparkDistribution.backendJar().toString())));
    SparkCluster.Result r = spark.sparkSubmit(cluster.dir.resolve("cluster.out"), args, 60);
    assertNotEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("Failed to load class"), r.output());
    assertTrue(executorTasks("cluster-mode").isEmpty());
  }

  @Test
  void aBadPortEndsTheDriverNamingTheUrl() throws Exception {
    SparkCluster.Result r = spark.sparkSubmit(cluster.dir.resolve("bad-port.out"), sparkPi("bad-port",
        List.of("--master", "spark+trellis://127.0.0.1:99999", "--jars", SparkDistribution.backendJar().toString())), 90);
    assertNotEquals(0, r.status(), r.output());
    assertTrue(r.output().contains(
        "bad Trellis master URL 'spark+trellis://127.0.0.1:99999': port '99999' is not a number from 1 to 65535"),
        r.output());
  }

  @Test
  void anUnreachableMasterEndsTheDriverAfterTheSubscribeTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> options = List.of("--master", "spark+trellis://127.0.0.1:" + port,
        "--jars", SparkDistribution.backendJar().toString(), "--conf", "spark.trellis.subscribeTimeout=5s");
    SparkCluster.Result r = spark.sparkSubmit(cluster.dir.resolve("unreachable.out"), sparkPi("unreachable", options), 90);
    assertNotEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("cannot reach Trellis at 127.0.0.1:" + port + ": not subscribed after 5 s"
        + " (spark.trellis.subscribeTimeout); is a master running there?"), r.output());
  }

  @Test
  void envRefusesABadMasterAndRoleNamingThem() throws Exception {
    SparkCluster.Result port = cluster.run(List.of("spark", "env", "--master", "127.0.0.1:99999"), 60);
    assertEquals(2, port.status(), port.output());
    assertTrue(port.output().contains("--master '127.0.0.1:99999' is not host:port with a port from 1 to 65535"),
        port.output());
    SparkCluster.Result role = cluster.run(List.of("spark", "env", "--role", "a b"), 60);
    assertEquals(2, role.status(), role.output());
    assertTrue(role.output().contains("--role 'a b' is not a role name"), role.output());
    assertFalse((port.output() + role.output()).contains("Exception"));
  }

  @Test
  void envPrintsTheOptionsAndTheSparkDefaultsLines() throws Exception {
    String zk = cluster.zkSpec;
    SparkCluster.Result r = cluster.run(List.of("spark", "env", "--master", zk, "--role", "etl"), 60);
    assertEquals(0, r.status(), r.output());
    Path jar = SparkDistribution.backendJar().toAbsolutePath().normalize();
    assertTrue(r.output().contains("\n--master spark+trellis://" + zk + " --jars " + jar
        + " --conf spark.trellis.role=etl\n"), r.output());
    assertTrue(r.output().contains("\nspark.master spark+trellis://" + zk + "\nspark.jars " + jar
        + "\nspark.trellis.role etl\n"), r.output());
  }
}
