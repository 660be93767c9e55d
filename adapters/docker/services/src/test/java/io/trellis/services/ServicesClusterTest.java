package io.trellis.services;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose tests share one real cluster: the agents {@link #agents} starts, a master,
 * ZooKeeper and the services framework, with {@link #api} as its client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServicesClusterTest {
  TestCluster cluster;
  V2 api;

  /** Starts the class's agents on the new cluster. */
  abstract void agents(TestCluster c) throws Exception;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new TestCluster();
    agents(cluster);
    cluster.startServices();
    api = cluster.api;
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }
}
