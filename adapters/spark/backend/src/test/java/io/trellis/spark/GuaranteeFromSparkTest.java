package io.trellis.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.SchedulerCall;
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
 * A Spark application fills a real cluster of two agents (2 cpus each); then role {@code web} is
 * guaranteed 2 cpus and a framework of that role waits for two tasks of 1 cpu. The master
 * preempts two executors (grace period, then kill, reason PREEMPTED) and web's tasks run within
 * the grace period plus an allocation cycle; Spark loses those executors and its job still ends
 * with the right answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuaranteeFromSparkTest {
  /** The master's default preemption grace period. */
  private static final int GRACE_SECONDS = 30;
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

  @Test
  void aGuaranteedRoleGetsItsCpusBackFromASparkApplicationThatFilledTheCluster() throws Exception {
    SparkConf conf = cluster.conf("filler").set("spark.executor.memoryOverhead", "128m").set("spark.cores.max", "4");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String prefix = sc.sc().applicationId() + "-executor-";
      cluster.await("four executors filling the cluster", s -> TrellisCluster.liveTasks(s, prefix).size() == 4, 90);
      CompletableFuture<Double> job = CompletableFuture.supplyAsync(() -> PiApp.estimate(sc, 60, 1000));

      cluster.operator.setRole("web", 1.0, "cpus:2;mem:128", null);
      List<ServicesFramework.Pending> web = List.of(new ServicesFramework.Pending("web-0", "cpus:1;mem:64"),
          new ServicesFramework.Pending("web-1", "cpus:1;mem:64"));
      try (ServicesFramework services = new ServicesFramework(cluster.sparkMaster().substring("trellis://".length()),
          "web", web)) {
        long waiting = System.nanoTime();
        services.client.request(List.of(new SchedulerCall.Demand("web", "web", "cpus:1;mem:64", 2, List.of(), null)));
        JsonNode running = cluster.await("web's two tasks running", s -> TrellisCluster.liveTasks(s, "web-").stream()
            .filter(t -> t.path("state").asText().equals("RUNNING")).count() == 2, GRACE_SECONDS + 60);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - waiting);
        System.out.printf("web got its guarantee back %d s after it started waiting (grace %d s)%n", seconds, GRACE_SECONDS);
        assertTrue(seconds <= GRACE_SECONDS + 10, "web waited " + seconds + " s");

        long preempted = 0;
        for (JsonNode t : running.path("tasks")) {
          if (t.path("id").asText().startsWith(prefix) && "PREEMPTED".equals(t.path("reason").asText())) {
            preempted++;
          }
        }
        assertEquals(2, preempted, "two executors preempted: " + running.path("tasks"));
        double pi = job.get(240, TimeUnit.SECONDS);
        assertTrue(Math.abs(pi - Math.PI) < 0.05, "pi estimate " + pi);
      }
    }
  }
}
