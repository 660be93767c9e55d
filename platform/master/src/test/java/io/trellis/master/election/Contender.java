package io.trellis.master.election;

import io.trellis.master.state.Fence;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** A master in an election test: its own ZooKeeper session, its election and what it heard. */
final class Contender implements AutoCloseable {
  static final long WAIT_SECONDS = 15;
  final String id;
  final String endpoint;
  final CuratorFramework client;
  final LeaderElection election;
  final BlockingQueue<Fence> elected = new LinkedBlockingQueue<>();
  final BlockingQueue<String> revoked = new LinkedBlockingQueue<>();

  /** @param winners where every contender of a test reports its election, by id */
  Contender(String connectString, String root, String id, int port, BlockingQueue<String> winners)
      throws InterruptedException {
    this.id = id;
    this.endpoint = "127.0.0.1:" + port;
    this.client = CuratorFrameworkFactory.newClient(connectString, 4_000, 3_000, new RetryOneTime(100));
    client.start();
    if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
      throw new AssertionError(id + " cannot connect to ZooKeeper at " + connectString);
    }
    this.election = new LeaderElection(client, root, id, endpoint, new LeaderElection.Listener() {
      @Override
      public void onElected(Fence fence) {
        elected.add(fence);
        winners.add(id);
      }

      @Override
      public void onRevoked() {
        revoked.add(id);
      }
    });
  }

  Contender start() {
    election.start();
    return this;
  }

  Fence awaitElected() throws InterruptedException {
    Fence fence = elected.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (fence == null) {
      throw new AssertionError(id + " was not elected within " + WAIT_SECONDS + "s");
    }
    return fence;
  }

  void awaitRevoked() throws InterruptedException {
    if (revoked.poll(WAIT_SECONDS, TimeUnit.SECONDS) == null) {
      throw new AssertionError(id + " did not hear of losing the leadership within " + WAIT_SECONDS + "s");
    }
  }

  @Override
  public void close() {
    election.close();
    client.close();
  }
}
