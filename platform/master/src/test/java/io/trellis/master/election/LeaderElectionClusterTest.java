package io.trellis.master.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.client.discovery.MasterInfo;
import io.trellis.master.state.Fence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Test;

/** A three-server ZooKeeper ensemble losing the server the leading master talks to. */
class LeaderElectionClusterTest {
  /**
   * Servers with client, election and quorum ports all distinct: ports picked one at a time
   * can repeat, and ZooKeeper then refuses to start.
   */
  static List<InstanceSpec> distinctSpecs(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      List<InstanceSpec> specs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        specs.add(new InstanceSpec(null, held.get(3 * i).getLocalPort(), held.get(3 * i + 1).getLocalPort(),
            held.get(3 * i + 2).getLocalPort(), true, i + 1));
      }
      return specs;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  @Test
  void losingTheLeadersZooKeeperServerHandsTheLeadershipOnInAHigherEpoch() throws Exception {
    try (TestingCluster cluster = new TestingCluster(distinctSpecs(3))) {
      cluster.start();
      String connectString = cluster.getInstances().stream()
          .map(spec -> "127.0.0.1:" + spec.getPort()).collect(Collectors.joining(","));
      BlockingQueue<String> winners = new LinkedBlockingQueue<>();
      try (Contender a = new Contender(connectString, "/trellis", "m-a", 5051, winners).start();
          Contender b = new Contender(connectString, "/trellis", "m-b", 5052, winners).start()) {
        String firstId = winners.poll(Contender.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(firstId, "no master was elected");
        Contender first = firstId.equals(a.id) ? a : b;
        assertEquals(1, first.awaitElected().epoch());

        InstanceSpec server = cluster.findConnectionInstance(first.client.getZookeeperClient().getZooKeeper());
        assertTrue(cluster.killServer(server), "could not kill " + server);
        first.awaitRevoked();

        String nextId = winners.poll(Contender.WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(nextId, "no master was elected after the server died");
        Contender next = nextId.equals(a.id) ? a : b;
        Fence fence = next.awaitElected();
        assertEquals(2, fence.epoch());
        assertEquals(Optional.of(new MasterInfo(next.id, next.endpoint, 2)), next.election.leader());
      }
    }
  }
}
