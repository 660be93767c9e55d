package io.trellis.master;

import io.trellis.client.discovery.MasterInfo;
import io.trellis.client.discovery.ZkAddress;
import io.trellis.master.election.LeaderElection;
import io.trellis.master.election.LeaderLease;
import io.trellis.master.http.Leadership;
import io.trellis.master.http.MasterHttpServer;
import io.trellis.master.state.Fence;
import io.trellis.master.state.InMemoryStateStore;
import io.trellis.master.state.StateStore;
import io.trellis.master.state.ZkStateStore;
import io.trellis.security.TransportSecurity;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.ClusterKey;
import io.trellis.security.signing.RequestSigner;
import io.trellis.security.zk.ZkCredentials;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running master: HTTP server, and while it leads, an event loop with the master state.
 * Without ZooKeeper it leads alone; with ZooKeeper it contends, and on winning loads the state
 * an earlier leader recorded. Wiring by hand, in one place.
 */
public final class MasterProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterProcess.class);
  private final String id = "master-" + UUID.randomUUID().toString().substring(0, 8);
  private final MasterRef ref = new MasterRef(null);
  private final MasterMetrics metrics = new MasterMetrics();
  private MasterConfig config;
  private MasterHttpServer http;
  private CuratorFramework zk;
  private LeaderElection election;
  private EventLoop loop;
  /** The current leadership's hold (ALONE for a master without ZooKeeper); null while standby. */
  private volatile Tenure tenure;
  private LeaderLease lease;
  private final TransportSecurity transport;
  /** Signs calls to agents; null when no cluster key is configured. */
  private final RequestSigner signer;

  private MasterProcess(TransportSecurity transport, ClusterKey clusterKey) {
    this.transport = transport;
    this.signer = clusterKey == null ? null : new RequestSigner(clusterKey);
  }

  /** Starts a master that leads on its own, with its state in memory. */
  public static MasterProcess standalone(MasterConfig config) throws IOException {
    return standalone(config, TransportSecurity.NONE, ServerSecurity.off());
  }

  /** As {@link #standalone(MasterConfig)}, with this TLS and these settings for calls to agents. */
  public static MasterProcess standalone(MasterConfig config, TransportSecurity transport) throws IOException {
    return standalone(config, transport, ServerSecurity.off());
  }

  /** As {@link #standalone(MasterConfig)}, signing every call to agents with {@code clusterKey}. */
  public static MasterProcess standalone(MasterConfig config, ClusterKey clusterKey) throws IOException {
    return standalone(config, TransportSecurity.NONE, ServerSecurity.off(), clusterKey);
  }

  /** As {@link #standalone(MasterConfig)}, its callers checked by {@code security}. */
  public static MasterProcess standalone(MasterConfig config, ServerSecurity security) throws IOException {
    return standalone(config, TransportSecurity.NONE, security);
  }

  /** As {@link #standalone(MasterConfig, TransportSecurity)}, its callers checked by {@code security}. */
  public static MasterProcess standalone(MasterConfig config, TransportSecurity transport, ServerSecurity security)
      throws IOException {
    return standalone(config, transport, security, null);
  }

  /**
   * Starts a master that leads on its own, with its state in memory.
   *
   * @param transport its TLS and the settings of its calls to agents
   * @param security how its callers are checked
   * @param clusterKey signs every call to agents; {@code null} to call them unsigned
   */
  public static MasterProcess standalone(MasterConfig config, TransportSecurity transport, ServerSecurity security,
      ClusterKey clusterKey) throws IOException {
    MasterProcess p = new MasterProcess(transport, clusterKey);
    p.http = new MasterHttpServer(p.ref, Leadership.ALWAYS, config.host(), config.port(), transport.server(), security);
    p.config = config.withPort(p.http.port());
    p.metrics.agents(() -> p.count(true), () -> p.count(false));
    p.lead(new InMemoryStateStore(), Tenure.ALONE);
    log.info("master {} listening on {}://{}", p.id, transport.scheme(), p.endpoint());
    return p;
  }

  /** Starts a master that contends for leadership through ZooKeeper ({@code zk://host:port/path}). */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec) throws IOException {
    return withZooKeeper(config, zkSpec, TransportSecurity.NONE, ServerSecurity.off());
  }

  /** As {@link #withZooKeeper(MasterConfig, String)}, signing every call to agents with {@code clusterKey}. */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec, ClusterKey clusterKey)
      throws IOException {
    return withZooKeeper(config, zkSpec, TransportSecurity.NONE, ServerSecurity.off(), clusterKey);
  }

  /**
   * As {@link #withZooKeeper(MasterConfig, String)}, with this TLS, these settings for calls to
   * agents, and these ZooKeeper credentials (the election znodes stay readable by anyone, so
   * clients without them find the leader).
   */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec, TransportSecurity transport)
      throws IOException {
    return withZooKeeper(config, zkSpec, transport, ServerSecurity.off());
  }

  /** As {@link #withZooKeeper(MasterConfig, String)}, its callers checked by {@code security}. */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec, ServerSecurity security)
      throws IOException {
    return withZooKeeper(config, zkSpec, TransportSecurity.NONE, security);
  }

  /** As {@link #withZooKeeper(MasterConfig, String, TransportSecurity)}, its callers checked by {@code security}. */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec, TransportSecurity transport,
      ServerSecurity security) throws IOException {
    return withZooKeeper(config, zkSpec, transport, security, null);
  }

  /**
   * Starts a master that contends for leadership through ZooKeeper.
   *
   * @param transport its TLS, the settings of its calls to agents and its ZooKeeper credentials
   * @param security how its callers are checked
   * @param clusterKey signs every call to agents, naming the leader epoch; {@code null} to call
   *     them unsigned
   */
  public static MasterProcess withZooKeeper(MasterConfig config, String zkSpec, TransportSecurity transport,
      ServerSecurity security, ClusterKey clusterKey) throws IOException {
    MasterProcess p = new MasterProcess(transport, clusterKey);
    ZkAddress address = ZkAddress.parse(zkSpec);
    p.zk = ZkCredentials.apply(transport.zk(), CuratorFrameworkFactory.builder().connectString(address.connectString())
        .sessionTimeoutMs((int) config.zkSessionTimeout().toMillis())
        .connectionTimeoutMs((int) Math.min(5_000, config.zkSessionTimeout().toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(200, 10)), address.layout().leaderLatch(), address.layout().leaderInfo())
        .build();
    p.zk.start();
    Leadership leadership = new Leadership() {
      @Override
      public boolean isLeader() {
        Tenure t = p.tenure;
        return p.election != null && p.election.isLeader() && p.ref.isSet() && t != null && t.holds();
      }

      @Override
      public Optional<String> leaderEndpoint() {
        if (p.election == null || !zooKeeperReachable()) {
          return Optional.empty(); // Never wait on ZooKeeper on a request thread.
        }
        return p.election.leader().map(MasterInfo::endpoint).filter(e -> !e.equals(p.endpoint()));
      }

      @Override
      public boolean zooKeeperReachable() {
        return p.zk.getZookeeperClient().isConnected();
      }
    };
    p.http = new MasterHttpServer(p.ref, leadership, config.host(), config.port(), transport.server(), security);
    p.config = config.withPort(p.http.port());
    p.metrics.agents(() -> p.count(true), () -> p.count(false));
    String root = address.root();
    p.election = new LeaderElection(p.zk, root, p.id, p.endpoint(), new LeaderElection.Listener() {
      @Override
      public void onElected(Fence fence) {
        log.info("master {} elected leader (epoch {})", p.id, fence.epoch());
        long electedAt = System.nanoTime();
        LeaderLease lease = new LeaderLease(p.zk, fence, p.sessionTimeout(), electedAt, p::resign);
        try {
          p.lead(new ZkStateStore(p.zk, address.layout().state(), fence), p.tenure(fence.epoch(), lease), lease);
        } catch (RuntimeException e) {
          lease.close();
          throw e;
        }
      }

      @Override
      public void onRevoked() {
        log.warn("master {} lost leadership", p.id);
        p.stepDown();
      }
    });
    p.election.start();
    log.info("master {} listening on {}://{}, contending through {}", p.id, transport.scheme(), p.endpoint(), zkSpec);
    return p;
  }

  /** The session timeout ZooKeeper granted, if shorter than the one asked for. */
  private java.time.Duration sessionTimeout() {
    try {
      int granted = zk.getZookeeperClient().getZooKeeper().getSessionTimeout();
      return granted > 0 && granted < config.zkSessionTimeout().toMillis()
          ? java.time.Duration.ofMillis(granted) : config.zkSessionTimeout();
    } catch (Exception e) {
      return config.zkSessionTimeout();
    }
  }

  /** The hold of a ZooKeeper leadership: it lasts while the election and the lease say so. */
  private Tenure tenure(long epoch, LeaderLease lease) {
    return new Tenure() {
      @Override
      public long epoch() {
        return epoch;
      }

      @Override
      public boolean holds() {
        return lease.valid() && election.isLeader();
      }

      @Override
      public void resign(String why) {
        lease.end();
        election.relinquish();
      }
    };
  }

  /** A newer leader exists: stop acting now; the election calls {@link #stepDown} next. */
  private void resign(String why) {
    log.error("master {} resigns the leadership: {}", id, why);
    Tenure t = tenure;
    if (t != null && t != Tenure.ALONE) {
      t.resign(why);
    }
  }

  private synchronized void lead(StateStore store, Tenure held) {
    lead(store, held, null);
  }

  private synchronized void lead(StateStore store, Tenure held, LeaderLease heldLease) {
    stepDown();
    loop = new EventLoop("trellis-master");
    Master master = new Master(id, config, loop, Clock.systemUTC(), new AgentClient(held.epoch(), transport.client(),
        signer), metrics, store,
        held);
    master.endpoint = endpoint();
    loop.submit(() -> {
      master.recover();
      return null;
    }).join();
    master.start();
    lease = heldLease;
    tenure = held;
    ref.set(master);
  }

  private synchronized void stepDown() {
    Master m = ref.peek();
    ref.set(null);
    tenure = null;
    if (lease != null) {
      lease.close();
      lease = null;
    }
    if (m != null) {
      m.loop().submit(() -> {
        m.abdicate();
        return null;
      }).exceptionally(e -> null).join();
    }
    if (loop != null) {
      loop.close();
      loop = null;
    }
    if (m != null) {
      // After the loop: nothing sends to agents any more.
      m.agentClient().close();
    }
  }

  private long count(boolean reachable) {
    Master m = ref.peek();
    return m == null ? 0 : m.agents.values().stream().filter(a -> a.reachable == reachable).count();
  }

  /** Every endpoint its HTTP server serves. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return http.endpoints();
  }

  public String endpoint() {
    return config.endpoint();
  }

  public String id() {
    return id;
  }

  /** Whether this master leads now (and its leadership is confirmed). */
  public boolean isLeader() {
    Tenure t = tenure;
    return ref.isSet() && t != null && t.holds();
  }

  /** Whether this master leads and its recovery (re-registration of known agents) is over. */
  public boolean isRecovered() {
    Master m = ref.peek();
    return isLeader() && m != null && m.recovered();
  }

  public Master master() {
    return ref.get();
  }

  @Override
  public void close() {
    if (election != null) {
      election.close();
    }
    stepDown();
    http.close();
    if (zk != null) {
      zk.close();
    }
  }
}
