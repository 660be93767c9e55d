package io.trellis.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.store.ZkJobStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.Test;

/**
 * A leader that was deposed but still runs: once a newer leader advanced the epoch, ZooKeeper
 * refuses its writes, and the instance steps down instead of scheduling on.
 */
class JobsFencingTest {
  @Test
  void aDeposedLeaderRecordsNothingAndStepsDown() throws Exception {
    try (Cluster cluster = new Cluster("cpus:4;mem:4096");
        CuratorFramework zk = CuratorFrameworkFactory.newClient(cluster.zk.getConnectString(),
            new ExponentialBackoffRetry(100, 3));
        JobsFramework old = JobsFramework.start(JobsConfig.of(cluster.zkSpec).withPort(0)
            .withEngine(EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))))) {
      zk.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!old.isLeader() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(old.isLeader());
      Api api = new Api(old.endpoint());
      api.post("/v1/scheduler/iso8601", "{\"name\":\"tick\",\"schedule\":\"R//PT1S\",\"command\":\"true\","
          + "\"cpus\":0.1,\"mem\":16}");
      api.awaitHistory("tick", h -> Api.count(h, "SUCCEEDED") >= 1, Duration.ofSeconds(60));

      // A newer leader takes the store over, while the old instance still believes it leads.
      ZkJobStore newer = ZkJobStore.lead(zk, "/trellis/jobs");
      assertEquals(2, newer.epoch().epoch());

      HttpResponse<String> refused = api.send("POST", "/v1/scheduler/iso8601", "{\"name\":\"late\","
          + "\"schedule\":\"R//PT1M\",\"command\":\"true\",\"cpus\":0.1,\"mem\":16}");
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.body().contains("superseded"), refused.body());
      assertFalse(newer.jobs().containsKey("late"), "the deposed leader's job was not stored");

      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (old.isLeader() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertFalse(old.isLeader(), "the deposed instance stepped down");
      List<Run> runs = newer.runs("tick");
      Thread.sleep(3_000); // Three slots of the every-second job: none may be recorded now.
      assertEquals(runs, newer.runs("tick"), "no run recorded or changed after the fence");
    }
  }
}
