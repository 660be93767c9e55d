package io.trellis.master.election;

import io.trellis.client.discovery.MasterInfo;
import io.trellis.client.discovery.ZkLayout;
import io.trellis.master.state.Fence;
import io.trellis.master.state.FencedException;
import io.trellis.master.state.ZkEpoch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master's part in the leader election under a ZooKeeper root (see {@link ZkLayout}). When
 * it wins it advances the epoch, publishes its {@link MasterInfo} in the ephemeral leader-info
 * znode that clients follow, and calls {@link Listener#onElected}; when it loses the leadership
 * (connection suspended or lost, session expired, closed) it withdraws that znode and calls
 * {@link Listener#onRevoked}. It then contends again, as a standby, until closed.
 *
 * <p>The listener runs on the election's own thread, one call at a time, and should only hand
 * the news to the master's event loop.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  private static final long CLOSE_WAIT_SECONDS = 30;
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final String masterId;
  private final String endpoint;
  private final Listener listener;
  private final ZkEpoch epoch;
  private final ExecutorService thread;
  private final LeaderSelector selector;
  private volatile Thread electionThread;
  private volatile Fence fence;
  private volatile boolean started;
  private volatile boolean closed;

  /** Told when this master gains and loses the leadership. */
  public interface Listener {
    /** This master leads; every state write must carry {@code fence}. */
    void onElected(Fence fence);

    /** This master no longer leads (after an {@link #onElected}): stop writing at once. */
    void onRevoked();
  }

  /**
   * @param client a started client, kept and closed by the caller after this election
   * @param root the Trellis root znode, such as {@code /trellis}
   * @param masterId unique among the contending masters
   * @param endpoint where this master's HTTP API listens, {@code host:port}, as clients should
   *     reach it
   */
  public LeaderElection(CuratorFramework client, String root, String masterId, String endpoint, Listener listener) {
    new MasterInfo(masterId, endpoint, 0); // validates both, naming the bad value
    this.client = client;
    this.layout = new ZkLayout(root);
    this.masterId = masterId;
    this.endpoint = endpoint;
    this.listener = listener;
    this.epoch = new ZkEpoch(client, layout.epoch());
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "trellis-election-" + masterId);
      t.setDaemon(true);
      electionThread = t;
      return t;
    });
    this.selector = new LeaderSelector(client, layout.leaderLatch(), thread, new LeaderSelectorListenerAdapter() {
      @Override
      public void takeLeadership(CuratorFramework c) throws Exception {
        lead();
      }
    });
    selector.setId(masterId + "@" + endpoint);
    selector.autoRequeue();
  }

  /** Starts contending. */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(this + " is already " + (closed ? "closed" : "started"));
    }
    started = true;
    log.info("master {} at {} contends for leadership under {}", masterId, endpoint, layout.root());
    selector.start();
  }

  public boolean isLeader() {
    return fence != null;
  }

  /** The fence of the current leadership, or empty while this master does not lead. */
  public Optional<Fence> fence() {
    return Optional.ofNullable(fence);
  }

  /**
   * Gives the leadership up at once, as when a fenced write shows that a newer leader exists:
   * {@link Listener#onRevoked} follows on the election's thread, and this master contends again
   * as a standby.
   */
  public void relinquish() {
    if (fence != null) {
      selector.interruptLeadership();
    }
  }

  /**
   * The leader as published in ZooKeeper, or empty if none is: standbys use it to send callers
   * to the leader.
   */
  public Optional<MasterInfo> leader() {
    try {
      return Optional.of(MasterInfo.fromJson(client.getData().forPath(layout.leaderInfo())));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      log.warn("ignoring leader info at {}: {}", layout.leaderInfo(), e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + layout.leaderInfo(), e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the leader at " + layout.leaderInfo() + ": " + e.getMessage()
          + "; is ZooKeeper reachable?", e);
    }
  }

  /**
   * Stops contending; a leader steps down, withdraws its leader info and hears
   * {@link Listener#onRevoked} before this returns.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!started) {
      thread.shutdown();
      return;
    }
    selector.close(); // interrupts lead()
    thread.shutdown();
    if (Thread.currentThread() == electionThread) {
      return; // closed by the listener: lead() finishes once it returns
    }
    try {
      if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("master {} did not step down within {}s of closing its election", masterId, CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs on the election thread while this master holds the leadership latch; returning gives it
   * up. An interrupt means the leadership is over (connection trouble or close); it is handled
   * here and not passed on, so that Curator then releases the latch without delay.
   */
  private void lead() {
    if (closed) {
      return;
    }
    Fence won;
    try {
      won = epoch.advance();
      publish(won);
    } catch (Exception e) {
      if (!Thread.interrupted() && !(e instanceof InterruptedException)) {
        log.warn("master {} won the election but could not take office; contending again: {}", masterId,
            e.getMessage());
      }
      return;
    }
    fence = won;
    log.info("master {} at {} leads in epoch {}", masterId, endpoint, won.epoch());
    try {
      listener.onElected(won);
      new CountDownLatch(1).await(); // until interrupted: leadership lost or election closed
    } catch (InterruptedException e) {
      // the leadership is over
    } finally {
      fence = null;
      Thread.interrupted(); // an interrupt during onElected: the leadership is over just the same
      log.info("master {} at {} no longer leads (epoch {})", masterId, endpoint, won.epoch());
      try {
        listener.onRevoked();
      } finally {
        withdraw(won);
      }
    }
  }

  /** Creates the ephemeral leader info, replacing one a former leader's session left behind. */
  private void publish(Fence won) throws Exception {
    String path = layout.leaderInfo();
    byte[] info = new MasterInfo(masterId, endpoint, won.epoch()).toJson();
    for (int attempt = 1; ; attempt++) {
      Stat stale = client.checkExists().forPath(path);
      List<CuratorOp> ops = stale == null
          ? List.of(client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, info))
          : List.of(client.transactionOp().delete().withVersion(stale.getVersion()).forPath(path),
              client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(path, info));
      try {
        won.commit(client, "the leader info " + path, ops);
        return;
      } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException
          | KeeperException.BadVersionException raced) {
        if (attempt == 10) {
          throw new IllegalStateException("cannot publish leader info at " + path + ": it kept changing; "
              + "is another process writing it?", raced);
        }
        // the former leader's session ended meanwhile: look again
      }
    }
  }

  /** Deletes the leader info unless a newer leader has advanced the epoch (and so owns it). */
  private void withdraw(Fence won) {
    String path = layout.leaderInfo();
    try {
      won.commit(client, "the leader info " + path, List.of(client.transactionOp().delete().forPath(path)));
    } catch (FencedException | KeeperException.NoNodeException e) {
      // a newer leader owns it, or it is gone with the session
    } catch (Exception e) {
      log.debug("could not withdraw leader info {} of epoch {}; it goes with the session: {}", path, won.epoch(),
          e.toString());
    }
  }

  @Override
  public String toString() {
    return "LeaderElection[" + masterId + "@" + endpoint + " under " + layout.root() + "]";
  }
}
