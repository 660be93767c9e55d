package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code spark.trellis.gang=true} on a real cluster of two agents (2 cpus each): the
 * application's executors start only when all of them fit, together, and a gang the cluster can
 * never hold is refused when the application starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GangExecutorsTest {
  private TrellisCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new TrellisCluster("cpus:2;mem:3072;disk:1000");
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private SparkConf gangConf(String name, int executors) {
    return cluster.conf(name).set("spark.executor.memoryOverhead", "128m")
        .set("spark.cores.max", Integer.toString(executors)).set("spark.trellis.gang", "true");
  }

  /** The application's framework's demands in the master's state. */
  private static JsonNode demands(JsonNode state, String appId) {
    for (JsonNode f : state.path("frameworks")) {
      if (f.path("name").asText().contains("(" + appId + ")")) {
        return f.path("demands");
      }
    }
    return null;
  }

  @Test
  void theExecutorsStartOnlyWhenAllOfThemFitAndThenTogether() throws Exception {
    List<ServicesFramework.Pending> blockers = List.of(new ServicesFramework.Pending("blocker-0", "cpus:1;mem:64"),
        new ServicesFramework.Pending("blocker-1", "cpus:1;mem:64"));
    try (ServicesFramework services = new ServicesFramework(cluster.sparkMaster().substring("trellis://".length()),
        "services", blockers)) {
      cluster.await("two cpus of four taken by services", s -> TrellisCluster.liveTasks(s, "blocker-").stream()
          .filter(t -> t.path("state").asText().equals("RUNNING")).count() == 2, 60);

      try (JavaSparkContext sc = new JavaSparkContext(gangConf("gang-pi", 3))) {
        String appId = sc.sc().applicationId();
        String executorPrefix = appId + "-executor-";
        CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 6, 0));

        JsonNode waiting = cluster.await("the gang waiting with 2 of 3 members fitting", s -> {
          JsonNode d = demands(s, appId);
          return d != null && d.size() == 1 && d.get(0).path("membersFitting").asInt(-1) == 2;
        }, 60);
        JsonNode gang = demands(waiting, appId).get(0);
        assertEquals("executors", gang.path("id").asText());
        assertEquals(3, gang.path("count").asInt(), gang.toString());
        assertEquals(3, gang.path("gang").path("minMember").asInt(), gang.toString());
        assertEquals("spark", gang.path("role").asText(), gang.toString());
        // Two executors would fit now; none starts while the third does not.
        for (int i = 0; i < 10; i++) {
          JsonNode s = cluster.state();
          assertEquals(0, TrellisCluster.count(s.path("tasks"), t -> t.path("id").asText().startsWith(executorPrefix)),
              "no executor before all three fit: " + s.path("tasks"));
          TimeUnit.MILLISECONDS.sleep(300);
        }
        assertTrue(!job.isDone(), "the job cannot have run without executors");

        services.kill("blocker-0");
        JsonNode started = cluster.await("three executors", s -> TrellisCluster.count(s.path("tasks"),
            t -> t.path("id").asText().startsWith(executorPrefix)) == 3, 90);
        assertEquals(3, TrellisCluster.count(started.path("tasks"), t -> t.path("id").asText().startsWith(executorPrefix)
            && t.path("role").asText().equals("spark")), started.path("tasks").toString());
        double pi = job.get(120, TimeUnit.SECONDS);
        assertTrue(Math.abs(pi - Math.PI) < 0.05, "pi estimate " + pi);
        JsonNode after = cluster.state();
        assertEquals(3, TrellisCluster.count(after.path("tasks"), t -> t.path("id").asText().startsWith(executorPrefix)),
            "exactly the gang's executors, no more: " + after.path("tasks"));
        assertTrue(demands(after, appId).isEmpty(), "nothing left waiting once the gang was offered: " + demands(after, appId));
      }
    }
  }

  @Test
  void aHardGangThatDoesNotFitInTimeFailsTheJobWithTheReason() throws Exception {
    try (ServicesFramework services = new ServicesFramework(cluster.sparkMaster().substring("trellis://".length()),
        "services", List.of(new ServicesFramework.Pending("blocker-hard", "cpus:1;mem:64")))) {
      cluster.await("one cpu of four taken by services", s -> TrellisCluster.liveTasks(s, "blocker-hard").stream()
          .filter(t -> t.path("state").asText().equals("RUNNING")).count() == 1, 60);
      SparkConf conf = gangConf("gang-hard", 4).set("spark.trellis.gang.mode", "HARD")
          .set("spark.trellis.gang.timeout", "4s");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        String appId = sc.sc().applicationId();
        CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 4, 0));
        java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> job.get(120, TimeUnit.SECONDS));
        assertTrue(String.valueOf(failed.getCause().getMessage()).contains(
            "the gang of 4 executors failed (spark.trellis.gang.mode=HARD): gang executors waited 4 s"),
            String.valueOf(failed.getCause().getMessage()));
        assertEquals(0, TrellisCluster.count(cluster.state().path("tasks"),
            t -> t.path("id").asText().startsWith(appId + "-executor-")), "no executor of a failed gang");
      }
    }
  }

  @Test
  void aGangLargerThanTheClusterIsRefusedWhenTheApplicationStarts() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new JavaSparkContext(gangConf("gang-too-big", 5)).close());
    assertTrue(e.getMessage().startsWith("Trellis refused the gang of 5 executors of cpus:1;mem:640 (spark.trellis.gang): "),
        e.getMessage());
  }

  @Test
  void aBarrierStageAsksForItsMissingExecutorsAsOneGang() throws Exception {
    List<ServicesFramework.Pending> blockers = List.of(new ServicesFramework.Pending("wall-0", "cpus:1;mem:64"),
        new ServicesFramework.Pending("wall-1", "cpus:1;mem:64"), new ServicesFramework.Pending("wall-2", "cpus:1;mem:64"));
    try (ServicesFramework services = new ServicesFramework(cluster.sparkMaster().substring("trellis://".length()),
        "services", blockers)) {
      cluster.await("three cpus of four taken by services", s -> TrellisCluster.liveTasks(s, "wall-").stream()
          .filter(t -> t.path("state").asText().equals("RUNNING")).count() == 3, 60);
      // No spark.trellis.gang: executors come one by one, and one fits now.
      SparkConf conf = cluster.conf("barrier").set("spark.executor.memoryOverhead", "128m").set("spark.cores.max", "3")
          .set("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s")
          .set("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "300");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        String appId = sc.sc().applicationId();
        String executorPrefix = appId + "-executor-";
        cluster.await("one executor", s -> TrellisCluster.count(s.path("tasks"),
            t -> t.path("id").asText().startsWith(executorPrefix)) == 1, 60);

        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> BarrierApp.run(sc, 3));
        JsonNode waiting = cluster.await("the two missing executors asked for as one gang", s -> {
          JsonNode d = demands(s, appId);
          return d != null && d.size() == 1 && d.get(0).path("gang").path("minMember").asInt() == 2;
        }, 60);
        assertEquals(2, demands(waiting, appId).get(0).path("count").asInt(), waiting.toString());

        services.kill("wall-0");
        cluster.await("one member of the gang fits", s -> {
          JsonNode d = demands(s, appId);
          return d != null && d.size() == 1 && d.get(0).path("membersFitting").asInt(-1) == 1;
        }, 60);
        for (int i = 0; i < 10; i++) {
          assertEquals(1, TrellisCluster.count(cluster.state().path("tasks"),
              t -> t.path("id").asText().startsWith(executorPrefix)), "no executor of the gang starts alone");
          TimeUnit.MILLISECONDS.sleep(300);
        }

        services.kill("wall-1");
        assertEquals(3, job.get(120, TimeUnit.SECONDS), "every barrier task met the others");
        assertEquals(3, TrellisCluster.count(cluster.state().path("tasks"),
            t -> t.path("id").asText().startsWith(executorPrefix)));
      }
    }
  }
}
