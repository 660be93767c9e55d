package io.trellis.jobs.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The job store contract on a real (embedded) ZooKeeper, directly and behind the write-behind queue. */
class ZkJobStoreTest extends JobStoreContract {
  private static TestingServer zk;
  private static CuratorFramework client;
  private static final List<WriteBehindJobStore> opened = new ArrayList<>();
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
    opened.forEach(WriteBehindJobStore::close);
    client.close();
    zk.close();
  }

  @Override
  JobStore store() {
    root++;
    // Every other test goes through the write-behind queue: reads wait for queued writes.
    ZkJobStore store = ZkJobStore.lead(client, "/trellis/jobs-" + root);
    if (root % 2 == 0) {
      return store;
    }
    WriteBehindJobStore behind = new WriteBehindJobStore(store);
    opened.add(behind);
    return behind;
  }
}
