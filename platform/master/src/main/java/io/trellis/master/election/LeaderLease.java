package io.trellis.master.election;

import io.trellis.master.state.Fence;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a leader may trust its leadership without asking ZooKeeper again. Every so often it
 * reads the epoch znode: an answer proves the session was alive when the read was sent, so no
 * other master can have been elected until a session timeout after that; the lease lasts two
 * thirds of it. A leader paused (SIGSTOP, a long GC) past its lease stops acting the moment it
 * resumes, before ZooKeeper's own notice of the lost session arrives. A read that shows a newer
 * epoch ends the lease for good.
 */
public final class LeaderLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderLease.class);
  private final CuratorFramework client;
  private final Fence fence;
  private final long leaseNanos;
  private final Consumer<String> deposed;
  private final ScheduledExecutorService timer;
  /** System.nanoTime() when the last confirming read was sent. */
  private volatile long confirmedAt;
  private volatile boolean ended;

  /**
   * @param confirmedAt when the leadership was last known to hold (the election), nanoTime
   * @param deposed told, once, when a read shows a newer epoch
   */
  public LeaderLease(CuratorFramework client, Fence fence, Duration sessionTimeout, long confirmedAt,
      Consumer<String> deposed) {
    this.client = client;
    this.fence = fence;
    this.leaseNanos = sessionTimeout.toNanos() * 2 / 3;
    this.deposed = deposed;
    this.confirmedAt = confirmedAt;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "trellis-leader-lease-" + fence.epoch());
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(100, sessionTimeout.toMillis() / 10);
    timer.scheduleWithFixedDelay(this::confirm, every, every, TimeUnit.MILLISECONDS);
  }

  /** Whether the leadership is confirmed recently enough to act on. */
  public boolean valid() {
    return !ended && System.nanoTime() - confirmedAt < leaseNanos;
  }

  /** Ends the lease: {@link #valid} is false from now on. */
  public void end() {
    ended = true;
  }

  private void confirm() {
    long sent = System.nanoTime();
    try {
      Stat stat = client.checkExists().forPath(fence.epochPath());
      if (stat == null || stat.getVersion() != fence.epochVersion()) {
        if (!ended) {
          ended = true;
          deposed.accept("the epoch znode " + fence.epochPath() + " moved past " + fence
              + ": a newer leader was elected");
        }
        return;
      }
      confirmedAt = Math.max(confirmedAt, sent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("cannot confirm the leadership of {}: {}", fence, e.toString());
    }
  }

  @Override
  public void close() {
    ended = true;
    timer.shutdownNow();
  }
}
