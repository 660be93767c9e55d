package io.trellis.jobs.framework;

import io.trellis.api.FrameworkInfo;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.client.discovery.ZkAddress;
import io.trellis.jobs.JobsException;
import io.trellis.jobs.engine.JobEngine;
import io.trellis.jobs.engine.Launch;
import io.trellis.jobs.http.EngineAccess;
import io.trellis.jobs.http.JobsHttpServer;
import io.trellis.jobs.store.FencedException;
import io.trellis.jobs.store.WriteBehindJobStore;
import io.trellis.jobs.store.ZkJobStore;
import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the jobs framework: the {@code /v1/scheduler} API, and, while this instance
 * leads (a Curator leader latch in ZooKeeper), the engine and its subscription to the master.
 * Every instance serves the API; the others answer 503 naming the leader.
 */
public final class JobsFramework implements EngineAccess, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobsFramework.class);
  static final double FAILOVER_TIMEOUT_SECONDS = 7 * 24 * 3600;
  /** How long a request waits for the first lookup of who leads before answering without it. */
  private static final java.time.Duration LEADER_LOOKUP_WAIT = java.time.Duration.ofMillis(500);

  private final JobsConfig config;
  private final io.trellis.security.TransportSecurity transport;
  private final Clock clock = Clock.systemUTC();
  private final EventLoop loop = new EventLoop(this::fenced);
  private final CuratorFramework zk;
  private final String root;
  /** The store of the current leadership term, written under its epoch; null while following. */
  private WriteBehindJobStore store;
  private final java.util.concurrent.ExecutorService acks = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "trellis-jobs-acks");
    t.setDaemon(true);
    return t;
  });
  private final LeaderLatch latch;
  private final JobsHttpServer http;
  private final BiConsumer<Launch, Instant> accepted;
  private MasterDetector detector;
  private SchedulerClient client;
  private volatile OfferLauncher launcher;
  private io.trellis.core.time.Timer.Cancellable nudging;
  private volatile JobEngine engine;
  private volatile ConnectionState zkState;
  /** The leader's {@code host:port} as last looked up, off the request threads; null if none. */
  private volatile String knownLeader;
  private final java.util.concurrent.ExecutorService leaderLookups = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "trellis-jobs-leader-lookup");
    t.setDaemon(true);
    return t;
  });

  private JobsFramework(JobsConfig config, BiConsumer<Launch, Instant> accepted,
      io.trellis.security.TransportSecurity transport, ServerSecurity security) throws IOException {
    this.config = config;
    this.accepted = accepted;
    this.transport = transport;
    ZkAddress address = ZkAddress.parse(config.zk());
    root = (address.root().equals("/") ? "" : address.root()) + "/jobs";
    zk = io.trellis.security.zk.ZkCredentials.apply(transport.zk(), CuratorFrameworkFactory.builder()
        .connectString(address.connectString())
        .sessionTimeoutMs((int) config.zkSessionTimeout().toMillis()).connectionTimeoutMs(5_000)
        .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000)), root + "/leader").build();
    zk.getConnectionStateListenable().addListener((client, state) -> {
      zkState = state;
      if (state.isConnected()) {
        refreshLeader();
      }
    });
    zk.start();
    http = new JobsHttpServer(this, config.host(), config.port(), transport.server(), security);
    latch = new LeaderLatch(zk, root + "/leader", endpoint());
    latch.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        knownLeader = endpoint();
        loop.execute(JobsFramework.this::lead);
      }

      @Override
      public void notLeader() {
        knownLeader = null;
        refreshLeader();
        loop.execute(JobsFramework.this::follow);
      }
    });
  }

  /** Starts the API and joins the leader election. */
  public static JobsFramework start(JobsConfig config) throws Exception {
    return start(config, (l, at) -> { });
  }

  /** As {@link #start(JobsConfig)}, telling {@code accepted} of every task handed to the master. */
  public static JobsFramework start(JobsConfig config, BiConsumer<Launch, Instant> accepted) throws Exception {
    return start(config, accepted, io.trellis.security.TransportSecurity.NONE);
  }

  /** As {@link #start(JobsConfig)}, the API's callers checked by {@code security}. */
  public static JobsFramework start(JobsConfig config, ServerSecurity security) throws Exception {
    return start(config, (l, at) -> { }, io.trellis.security.TransportSecurity.NONE, security);
  }

  /**
   * As {@link #start(JobsConfig, BiConsumer)}, serving with {@code transport}'s TLS, calling the
   * master with its client settings, and keeping the state under its ZooKeeper credentials.
   */
  public static JobsFramework start(JobsConfig config, BiConsumer<Launch, Instant> accepted,
      io.trellis.security.TransportSecurity transport) throws Exception {
    return start(config, accepted, transport, ServerSecurity.off());
  }

  /** As above, the API's callers checked by {@code security}. */
  public static JobsFramework start(JobsConfig config, BiConsumer<Launch, Instant> accepted,
      io.trellis.security.TransportSecurity transport, ServerSecurity security) throws Exception {
    JobsFramework f = new JobsFramework(config, accepted, transport, security);
    f.latch.start();
    f.refreshLeader();
    log.info("jobs API on {}://{}/v1/scheduler; waiting for leadership", transport.scheme(), f.endpoint());
    return f;
  }

  private void lead() {
    ZkJobStore fenced = ZkJobStore.lead(zk, root);
    WriteBehindJobStore store = new WriteBehindJobStore(fenced);
    this.store = store;
    log.info("this jobs framework instance leads (epoch {})", fenced.epoch().epoch());
    java.util.concurrent.atomic.AtomicReference<JobEngine> created = new java.util.concurrent.atomic.AtomicReference<>();
    OfferLauncher launcher = new OfferLauncher(clock,
        status -> loop.execute(() -> {
          JobEngine e = engine;
          if (e == null) {
            return; // Not acknowledged: the master sends it again to the next leader.
          }
          e.onUpdate(status);
          if (status.uuid() != null) {
            SchedulerClient c = client;
            store.afterWrites(() -> acks.execute(() -> acknowledge(c, status)));
          }
        }),
        id -> {
          if (!store.frameworkId().map(id::equals).orElse(false)) {
            store.putFrameworkId(id);
          }
          // Before the answers to this subscription's reconciliation, which come through the loop too.
          loop.execute(() -> {
            JobEngine current = created.get();
            if (current != null) {
              current.subscribed();
            }
          });
        }, accepted, () -> {
          JobEngine current = created.get();
          return current == null ? java.util.Optional.empty() : current.nextDue();
        });
    launcher.declareUnder(config.role());
    JobEngine e = new JobEngine(clock, loop, store, launcher, config.engine());
    created.set(e);
    detector = MasterDetectors.from(config.masterSpec());
    String id = store.frameworkId().orElse(null);
    client = SchedulerClient.start(detector, transport.client(), new FrameworkInfo(id, "trellis-jobs", config.user(),
        List.of(config.role()), FAILOVER_TIMEOUT_SECONDS, config.host()).withWebuiUrl(transport.scheme() + "://" + endpoint()),
        launcher, false);
    launcher.attach(client);
    this.launcher = launcher;
    e.start();
    engine = e;
    nudge(launcher);
  }

  /** Acknowledges an update once the engine's record of it is stored. */
  private static void acknowledge(SchedulerClient c, io.trellis.api.TaskStatus status) {
    try {
      c.acknowledge(status);
    } catch (RuntimeException e) {
      log.debug("acknowledgement of {} failed; the master sends the update again: {}", status.taskId(), e.toString());
    }
  }

  private void nudge(OfferLauncher launcher) {
    nudging = loop.schedule(java.time.Duration.ofSeconds(5), () -> {
      if (engine != null) {
        launcher.nudge();
        nudge(launcher);
      }
    });
  }

  private void follow() {
    JobEngine e = engine;
    engine = null;
    if (nudging != null) {
      nudging.cancel();
      nudging = null;
    }
    if (e != null) {
      log.info("this jobs framework instance no longer leads");
      e.stop();
    }
    if (launcher != null) {
      launcher.close();
      launcher = null;
    }
    if (client != null) {
      client.close();
      client = null;
    }
    if (detector != null) {
      detector.close();
      detector = null;
    }
    if (store != null) {
      store.close();
      store = null;
    }
  }

  @Override
  public <T> T call(Function<JobEngine, T> work) {
    ConnectionState state = zkState;
    if (state == null || !state.isConnected()) {
      // Every call needs the store or the lead, both in ZooKeeper: answer at once, never wait on it.
      throw new JobsException(503, "ZooKeeper is unreachable from this jobs instance (connection "
          + (state == null ? "not yet established" : state) + "); retry once it is back", List.of());
    }
    return loop.call(() -> {
      JobEngine e = engine;
      if (e == null) {
        throw JobsException.notLeader(leader());
      }
      try {
        return work.apply(e);
      } catch (FencedException f) {
        fenced(f);
        throw new JobsException(503, "this instance no longer leads (" + f.getMessage() + "); retry", List.of());
      }
    });
  }

  /** On the loop: a newer leader advanced the epoch while this one still ran: step down at once. */
  private void fenced(FencedException e) {
    if (store != null) {
      log.warn("{}: stepping down", e.getMessage());
      follow();
    }
  }

  /** The leader as last looked up: never waits for ZooKeeper on a request thread. */
  private String leader() {
    java.util.concurrent.Future<?> lookup = refreshLeader();
    if (knownLeader == null && lookup != null) {
      // Not known yet (a standby that just started): ZooKeeper is connected, so the lookup is quick.
      try {
        lookup.get(LEADER_LOOKUP_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        log.debug("leader lookup not done: {}", e.toString());
      }
    }
    String l = knownLeader;
    return l == null ? null : transport.scheme() + "://" + l;
  }

  /** Looks the leader up in ZooKeeper on a thread of its own, one lookup at a time. */
  private java.util.concurrent.Future<?> refreshLeader() {
    if (latch == null) {
      return null; // Connected before the election exists: start() looks the leader up.
    }
    try {
      return leaderLookups.submit(() -> {
        try {
          Participant p = latch.getLeader();
          knownLeader = p.isLeader() ? p.getId() : null;
        } catch (Exception e) {
          log.debug("leader lookup failed: {}", e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      log.debug("leader lookup after close");
      return null;
    }
  }

  public boolean isLeader() {
    return engine != null;
  }

  @Override
  public io.trellis.jobs.http.Readiness readiness() {
    ConnectionState state = zkState;
    OfferLauncher l = launcher;
    boolean leading = engine != null;
    return new io.trellis.jobs.http.Readiness(knownLeader, leading, leading && l != null && l.recovered(),
        state == null ? "CONNECTING" : state.name());
  }

  /** host:port of the API. */
  /** Every endpoint its HTTP server serves. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return http.endpoints();
  }

  public String endpoint() {
    return config.host() + ":" + http.port();
  }

  private boolean closed;

  /** Leaves the election and stops; the master keeps the framework's tasks for the next leader. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    // Hand back held offers and close the subscription before a standby can take over.
    loop.call(() -> {
      follow();
      return null;
    });
    try {
      latch.close(LeaderLatch.CloseMode.SILENT);
    } catch (IOException | IllegalStateException e) {
      log.debug("leader latch close: {}", e.toString());
    }
    loop.close();
    acks.shutdownNow();
    leaderLookups.shutdownNow();
    zk.close();
  }
}
