package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real Spark 4.2 applications in client mode (the driver in this JVM) on a real Trellis cluster
 * of two agents (4 cpus each) whose executors are real processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkOnTrellisTest {
  private TrellisCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new TrellisCluster("cpus:4;mem:4096;disk:1000");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void piInClientModeRunsOnExecutorTasksAndGivesTheResourcesBack() throws Exception {
    SparkConf conf = cluster.conf("pi-client").set("spark.cores.max", "2");
    String appId;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      appId = sc.sc().applicationId();
      double pi = PiApp.estimate(sc, 4, 0);
      assertEquals(Math.PI, pi, 0.02, "Pi is roughly " + pi);

      JsonNode state = cluster.state();
      List<JsonNode> executors = TrellisCluster.liveTasks(state, appId + "-executor-");
      assertEquals(2, executors.size(), "two executor tasks while the application runs: " + state);
      for (JsonNode t : executors) {
        assertEquals("RUNNING", t.path("state").asText());
        assertEquals("spark", t.path("role").asText(), "executors run under the default role spark");
        assertTrue(t.path("name").asText().contains("pi-client"), "the task names the application: " + t);
      }
      assertTrue(TrellisCluster.count(state.path("frameworks"),
          f -> f.path("name").asText().contains(appId) && f.path("name").asText().contains("pi-client")) == 1,
          "the framework names the application and its id: " + state.path("frameworks"));
    }
    // Tasks the final teardown had to kill may still be listed as KILLING by the master; what
    // counts is that nothing of the application runs and the agents have everything back.
    cluster.await("the application's tasks ended and its resources back in the pool",
        s -> TrellisCluster.count(s.path("tasks"), t -> t.path("id").asText().startsWith(appId)
            && List.of("STAGING", "STARTING", "RUNNING").contains(t.path("state").asText())) == 0
            && TrellisCluster.allResourcesFree(s), 60);
  }

  @Test
  void executorsThatDoNotFitAreStatedToTheMasterAsADemand() throws Exception {
    // Eight executors of 1 cpu wanted on an agent of 4 cpus: those that do not fit wait as a demand.
    SparkConf conf = cluster.conf("waiting").set("spark.cores.max", "8");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String last = "";
      boolean stated = false;
      while (!stated && System.nanoTime() < deadline) {
        JsonNode state = cluster.state();
        int live = TrellisCluster.liveTasks(state, appId + "-executor-").size();
        for (JsonNode f : state.path("frameworks")) {
          if (f.path("name").asText().contains(appId)) {
            for (JsonNode d : f.path("demands")) {
              last = live + " live, demand " + d;
              stated |= d.path("id").asText().equals("executors") && live > 0
                  && d.path("count").asInt() == 8 - live && d.path("resources").asText().startsWith("cpus:1;");
            }
          }
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertTrue(stated, "no demand for the executors that do not fit: " + last);
    }
  }

  @Test
  void coresMaxCapsTheExecutorsLaunched() throws Exception {
    SparkConf conf = cluster.conf("capped").set("spark.cores.max", "3");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      AtomicInteger most = new AtomicInteger();
      CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 12, 300));
      while (!job.isDone()) {
        most.accumulateAndGet(TrellisCluster.liveTasks(cluster.state(), appId + "-executor-").size(), Math::max);
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertEquals(Math.PI, job.get(), 0.02);
      JsonNode state = cluster.state();
      assertEquals(3, TrellisCluster.liveTasks(state, appId + "-executor-").size(), state.toString());
      assertTrue(most.get() <= 3, "never more than spark.cores.max executors of one core: saw " + most.get());
      assertEquals(3, sc.sc().getExecutorIds().size(), "three executors registered with the driver");
    }
  }

  @Test
  void killingAnExecutorMidJobStillGivesTheRightAnswer() throws Exception {
    SparkConf conf = cluster.conf("survivor").set("spark.cores.max", "2");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      double expected = PiApp.estimate(sc, 16, 0);
      CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 16, 1000));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sc.sc().statusTracker().getActiveStageIds().length == 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      TimeUnit.MILLISECONDS.sleep(1500);
      assertFalse(job.isDone(), "the job is still running when an executor is killed");
      ProcessHandle victim = cluster.markedProcesses().stream()
          .filter(p -> TrellisCluster.commandLine(p).contains("--app-id " + appId))
          .findFirst().orElseThrow(() -> new AssertionError("no executor process of " + appId));
      assertTrue(victim.destroyForcibly(), "executor process killed");

      assertEquals(expected, job.get(120, TimeUnit.SECONDS), 1e-12, "same answer despite the lost executor");
      JsonNode state = cluster.state();
      int failed = TrellisCluster.count(state.path("tasks"), t -> t.path("id").asText().startsWith(appId + "-executor-")
          && t.path("state").asText().equals("FAILED"));
      assertEquals(1, failed, "the killed executor's task failed: " + state.path("tasks"));
      assertEquals(2, TrellisCluster.liveTasks(state, appId + "-executor-").size(), "a replacement executor runs");
    }
  }

  @Test
  void dynamicAllocationGrowsUnderLoadAndReleasesIdleExecutors() throws Exception {
    SparkConf conf = cluster.conf("elastic")
        .set("spark.dynamicAllocation.enabled", "true")
        .set("spark.dynamicAllocation.shuffleTracking.enabled", "true")
        .set("spark.dynamicAllocation.minExecutors", "0")
        .set("spark.dynamicAllocation.initialExecutors", "0")
        .set("spark.dynamicAllocation.maxExecutors", "4")
        .set("spark.dynamicAllocation.schedulerBacklogTimeout", "1s")
        .set("spark.dynamicAllocation.sustainedSchedulerBacklogTimeout", "1s")
        .set("spark.dynamicAllocation.executorIdleTimeout", "3s")
        .set("spark.dynamicAllocation.shuffleTracking.timeout", "3s");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String prefix = sc.sc().applicationId() + "-executor-";
      assertEquals(0, TrellisCluster.liveTasks(cluster.state(), prefix).size(), "no executor before work arrives");
      AtomicInteger most = new AtomicInteger();
      CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 24, 2000));
      while (!job.isDone()) {
        most.accumulateAndGet(TrellisCluster.liveTasks(cluster.state(), prefix).size(), Math::max);
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertEquals(Math.PI, job.get(), 0.02);
      assertEquals(4, most.get(), "grew to spark.dynamicAllocation.maxExecutors under load");
      cluster.await("idle executors released", s -> TrellisCluster.liveTasks(s, prefix).isEmpty(), 90);
    }
  }

  @Test
  void executorsCanTakeSparkFromAnArchiveFetchedIntoTheirSandbox() throws Exception {
    Path jar = pathingJar(cluster.dir.resolve("spark-dist.jar"));
    SparkConf conf = cluster.conf("from-archive").set("spark.cores.max", "1")
        .set("spark.trellis.executor.uri", jar.toUri().toString())
        .set("spark.trellis.executor.classpath", "/nonexistent/*");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      assertEquals(Math.PI, PiApp.estimate(sc, 4, 0), 0.02);
      JsonNode executor = TrellisCluster.liveTasks(cluster.state(), appId + "-executor-").get(0);
      Path sandbox = cluster.sandbox(executor.path("frameworkId").asText(), executor.path("id").asText());
      assertTrue(Files.exists(sandbox.resolve("spark-dist/dist.jar")), "the archive is in the sandbox");
    }
  }

  /** A jar whose manifest names every entry of this JVM's class path: Spark in one file. */
  private static Path pathingJar(Path jar) throws Exception {
    StringBuilder classPath = new StringBuilder();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classPath.append(Path.of(entry).toUri()).append(' ');
    }
    java.util.jar.Manifest m = new java.util.jar.Manifest();
    m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, classPath.toString().trim());
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
      out.flush();
    }
    return jar;
  }

  /** Last: it takes one of the two agents away for good. */
  @Test
  @Order(100)
  void executorsOnALostAgentAreReplacedAndTheJobFinishesRight() throws Exception {
    SparkConf conf = cluster.conf("agent-loss").set("spark.cores.max", "2");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      double expected = PiApp.estimate(sc, 12, 0);
      List<JsonNode> before = TrellisCluster.liveTasks(cluster.state(), appId + "-executor-");
      String lostAgent = before.get(0).path("agentId").asText();
      CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 12, 1500));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sc.sc().statusTracker().getActiveStageIds().length == 0 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
      cluster.loseAgent(lostAgent);

      assertEquals(expected, job.get(180, TimeUnit.SECONDS), 1e-12, "same answer without the lost agent");
      JsonNode state = cluster.state();
      List<JsonNode> live = TrellisCluster.liveTasks(state, appId + "-executor-");
      assertTrue(live.stream().anyMatch(t -> !t.path("agentId").asText().equals(lostAgent)
          && t.path("state").asText().equals("RUNNING")), "replacement executors on the other agent: " + state.path("tasks"));
    }
  }
}
