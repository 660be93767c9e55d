package io.trellis.services.ha;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The election among the services instances that share a ZooKeeper root: one leads and runs
 * the framework, the others stand by and pass their API calls on to it. Leading ends as soon as
 * the ZooKeeper connection is suspended, before the session can expire and another instance
 * can be elected. Terms start and end in order on one thread of their own.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Leadership.class);
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** What a term of leadership does. */
  public interface Term {
    /** This instance was elected: start leading. */
    void elected() throws Exception;

    /** This instance no longer leads: stop everything leading started. */
    void deposed();
  }

  private final CuratorFramework zk;
  private final String path;
  private final Term term;
  private volatile String self;
  private final ScheduledExecutorService terms = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "services-leadership");
    t.setDaemon(true);
    return t;
  });
  private volatile LeaderLatch latch;
  private volatile boolean leading;
  private volatile boolean closed;

  /** An election under {@code path} that this instance has not joined yet. */
  public Leadership(CuratorFramework zk, String path, Term term) {
    this.zk = zk;
    this.path = path;
    this.term = term;
  }

  /** A new candidacy (a closed latch cannot stand again). */
  private void stand() throws Exception {
    LeaderLatch l = new LeaderLatch(zk, path, self);
    l.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        terms.execute(() -> begin(l));
      }

      @Override
      public void notLeader() {
        terms.execute(Leadership.this::end);
      }
    });
    latch = l;
    l.start();
  }

  /**
   * Joins the election as {@code self}: the address of this instance's API, which the others
   * pass calls on to while it leads.
   */
  public void join(String self) throws Exception {
    this.self = self;
    stand();
  }

  private void begin(LeaderLatch l) {
    if (closed || l != latch || !l.hasLeadership()) {
      return; // Lost again before this term could start.
    }
    log.info("this services instance ({}) leads", self);
    try {
      term.elected();
      leading = true;
    } catch (Exception e) {
      log.error("cannot start leading: {}; standing again in {} s so another instance can lead",
          e.toString(), RETRY.toSeconds(), e);
      term.deposed();
      quit(l);
      terms.schedule(this::standAgain, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void standAgain() {
    if (closed) {
      return;
    }
    try {
      stand();
    } catch (Exception e) {
      log.error("cannot join the services election again: {}; retrying in {} s", e.toString(),
          RETRY.toSeconds());
      terms.schedule(this::standAgain, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void end() {
    if (leading) {
      leading = false;
      if (closed) {
        log.info("this services instance ({}) stops leading: it is shutting down", self);
      } else {
        log.warn("this services instance ({}) no longer leads; standing by", self);
      }
      term.deposed();
    }
  }

  private static void quit(LeaderLatch l) {
    try {
      l.close(LeaderLatch.CloseMode.SILENT);
    } catch (Exception e) {
      log.debug("leaving the election: {}", e.toString());
    }
  }

  /** Whether this instance leads and has started leading. */
  public boolean leading() {
    return leading;
  }

  /** This instance's address, once it has joined. */
  public String self() {
    return self;
  }

  /** Whether ZooKeeper is reachable now (answered from memory, without a round trip). */
  public boolean zooKeeperReachable() {
    return zk.getZookeeperClient().isConnected();
  }

  /** The address of the leading instance, if one is elected; empty at once while ZooKeeper is unreachable. */
  public Optional<String> leader() {
    LeaderLatch l = latch;
    if (l == null || !zooKeeperReachable()) {
      return Optional.empty();
    }
    try {
      Participant p = l.getLeader();
      return p.isLeader() && !p.getId().isEmpty() ? Optional.of(p.getId()) : Optional.empty();
    } catch (Exception e) {
      log.debug("cannot read the services leader: {}", e.toString());
      return Optional.empty();
    }
  }

  /** Waits until this instance leads, at most {@code timeout}; whether it does. */
  public boolean awaitLeading(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!leading && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return leading;
  }

  @Override
  public void close() {
    closed = true;
    LeaderLatch l = latch;
    if (l != null) {
      try {
        l.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
      } catch (Exception e) {
        log.debug("leaving the election: {}", e.toString());
      }
    }
    terms.execute(this::end);
    terms.shutdown();
    try {
      terms.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
