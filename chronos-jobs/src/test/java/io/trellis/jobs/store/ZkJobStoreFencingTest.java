package io.trellis.jobs.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.run.Trigger;
import java.time.Instant;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes of a deposed leader are refused by ZooKeeper once a newer leader advanced the epoch. */
class ZkJobStoreFencingTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static TestingServer zk;
  private static CuratorFramework client;
  private static int root;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("zookeeper.forceSync", "no");
    zk = new TestingServer(true);
    client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new ExponentialBackoffRetry(100, 3));
    client.start();
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    zk.close();
  }

  private static String newRoot() {
    return "/trellis/fenced-" + (++root);
  }

  private static Run run(String job, int minute) {
    return Run.create(job, T.plusSeconds(60L * minute), Trigger.SCHEDULE, T, List.of());
  }

  @Test
  void eachNewLeaderAdvancesTheEpoch() {
    String r = newRoot();
    assertEquals(1, ZkJobStore.lead(client, r).epoch().epoch());
    assertEquals(2, ZkJobStore.lead(client, r).epoch().epoch());
    assertEquals(3, ZkJobStore.lead(client, r).epoch().epoch());
  }

  @Test
  void aDeposedLeaderCannotRecordUpdateOrDeleteAnything() {
    String r = newRoot();
    ZkJobStore old = ZkJobStore.lead(client, r);
    old.putJob(JobStoreContract.job("a"));
    old.createRuns(List.of(run("a", 1)));
    ZkJobStore current = ZkJobStore.lead(client, r);

    FencedException e = assertThrows(FencedException.class, () -> old.createRuns(List.of(run("a", 2))));
    assertTrue(e.getMessage().contains("epoch 1 was superseded"), e.getMessage());
    assertThrows(FencedException.class, () -> old.putRun(run("a", 1).ended(RunState.FAILED, 5, 1, "x")));
    assertThrows(FencedException.class, () -> old.putStatus("a", JobStatus.fresh(1)));
    assertThrows(FencedException.class, () -> old.putJob(JobStoreContract.job("b")));
    assertThrows(FencedException.class, () -> old.putFrameworkId("fw-old"));
    assertThrows(FencedException.class, () -> old.deleteRun(run("a", 1)));
    assertThrows(FencedException.class, () -> old.deleteJob("a"));

    assertEquals(List.of(run("a", 1)), current.runs("a"), "the deposed leader's writes left no trace");
    assertEquals(List.of("a"), List.copyOf(current.jobs().keySet()));
    assertTrue(current.status("a").isEmpty());
    assertTrue(current.frameworkId().isEmpty());

    assertEquals(1, current.createRuns(List.of(run("a", 2))).size(), "the new leader writes");
    current.putRun(run("a", 1).ended(RunState.SUCCEEDED, 5, 0, null));
    assertEquals(RunState.SUCCEEDED, current.runs("a").get(0).state());
  }

  @Test
  void queuedWritesOfADeposedLeaderAreDroppedNotRetried() {
    String r = newRoot();
    ZkJobStore old = ZkJobStore.lead(client, r);
    old.putJob(JobStoreContract.job("a"));
    old.createRuns(List.of(run("a", 1)));
    try (WriteBehindJobStore behind = new WriteBehindJobStore(old)) {
      ZkJobStore current = ZkJobStore.lead(client, r);
      behind.putRun(run("a", 1).ended(RunState.SUCCEEDED, 5, 0, null));
      behind.putStatus("a", JobStatus.fresh(1).succeeded(5));
      behind.flush();
      assertEquals(RunState.PENDING, current.runs("a").get(0).state());
      assertTrue(current.status("a").isEmpty());
    }
  }
}
