package io.trellis.services;

import io.trellis.security.auth.ServerSecurity;

import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.client.discovery.ZkAddress;
import io.trellis.services.event.EventBus;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.http.ServicesHttpServer;
import io.trellis.services.store.ZkServiceStore;
import io.trellis.services.ha.Leadership;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A services instance with its {@code /v2} API: the store under {@code <zk root>/services}, the
 * leader election among the instances sharing it, the HTTP server, and, while this instance
 * leads, the framework. Several instances make the services framework highly available: one
 * leads, the others pass API calls on to it and take over when it goes away. Wiring in one place.
 */
public final class ServicesProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServicesProcess.class);
  /** How long {@link #start} waits to learn whether this instance leads. */
  private static final Duration FIRST_ELECTION = Duration.ofSeconds(5);

  private final ZkServiceStore store;
  private final MasterDetector detector;
  private final EventBus bus;
  private final String role;
  private final io.trellis.security.TransportSecurity transport;
  private final AtomicReference<ServicesFramework> leading = new AtomicReference<>();
  private Leadership leadership;
  private ServicesHttpServer http;
  /** Where this instance serves its API, as frameworks announce it to the master. */
  private volatile String webuiUrl;

  private ServicesProcess(ZkServiceStore store, MasterDetector detector, EventBus bus, String role,
      io.trellis.security.TransportSecurity transport) {
    this.transport = transport;
    this.store = store;
    this.detector = detector;
    this.bus = bus;
    this.role = role;
  }

  /**
   * Starts the API and joins the election; returns once the API listens and this instance
   * leads, or after a few seconds as a standby when another instance leads.
   *
   * @param zk {@code zk://host:port/trellis}: the state lives under {@code /trellis/services}
   * @param master where the master is ({@code host:port} or a zk spec); null to find it through {@code zk}
   * @param port the API port, 0 for any free one
   */
  public static ServicesProcess start(String zk, String master, String role, String host, int port) throws Exception {
    return start(zk, master, role, host, port, io.trellis.security.TransportSecurity.NONE, ServerSecurity.off());
  }

  /** As above, the API's callers checked by {@code security}. */
  public static ServicesProcess start(String zk, String master, String role, String host, int port,
      ServerSecurity security) throws Exception {
    return start(zk, master, role, host, port, io.trellis.security.TransportSecurity.NONE, security);
  }

  /**
   * As above, serving with {@code transport}'s TLS, calling the master and the leading instance
   * with its client settings, and keeping the state under its ZooKeeper credentials.
   */
  public static ServicesProcess start(String zk, String master, String role, String host, int port,
      io.trellis.security.TransportSecurity transport) throws Exception {
    return start(zk, master, role, host, port, transport, ServerSecurity.off());
  }

  /** As above, the API's callers checked by {@code security}. */
  public static ServicesProcess start(String zk, String master, String role, String host, int port,
      io.trellis.security.TransportSecurity transport, ServerSecurity security) throws Exception {
    ZkAddress address;
    try {
      address = ZkAddress.parse(zk);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid ZooKeeper address '" + zk + "': " + e.getMessage(), e);
    }
    String root = (address.root().equals("/") ? "" : address.root()) + "/services";
    ZkServiceStore store = ZkServiceStore.connect(address.connectString(), root, transport.zk());
    MasterDetector detector = MasterDetectors.from(master == null ? zk : master);
    ServicesProcess p = new ServicesProcess(store, detector, new EventBus(Clock.systemUTC()), role, transport);
    try {
      p.leadership = new Leadership(store.curator(), root + "/leader", p.new Term());
      p.http = new ServicesHttpServer(p.leadership, p.leading::get, store, p.bus,
          new ServicesHttpServer.Info(zk, role, host), host, port, transport.server(), transport.client(), security);
      p.webuiUrl = transport.scheme() + "://" + host + ":" + p.http.port();
      p.leadership.join(host + ":" + p.http.port());
      if (!p.leadership.awaitLeading(FIRST_ELECTION)) {
        log.info("services instance {}:{} stands by; the leader is {}", host, p.http.port(),
            p.leadership.leader().orElse("not elected yet"));
      }
    } catch (Exception e) {
      p.close();
      throw e;
    }
    log.info("services API listening on {}://{}:{}/v2 (state in {}{})", transport.scheme(), host, p.http.port(),
        address.connectString(), root);
    return p;
  }

  /** A term of leadership: the framework runs from election to deposition. */
  private final class Term implements Leadership.Term {
    @Override
    public void elected() {
      ServicesFramework f = new ServicesFramework(store, detector, transport.client(), Clock.systemUTC(), bus, role,
          "services").servedAt(webuiUrl);
      try {
        f.start();
      } catch (RuntimeException e) {
        f.close();
        throw e;
      }
      leading.set(f);
    }

    @Override
    public void deposed() {
      ServicesFramework f = leading.getAndSet(null);
      if (f != null) {
        f.close();
      }
    }
  }

  /** Every endpoint its HTTP server serves. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return http.endpoints();
  }

  public int port() {
    return http.port();
  }

  /** The framework while this instance leads, or null while it stands by. */
  public ServicesFramework framework() {
    return leading.get();
  }

  /** Whether this instance leads. */
  public boolean leads() {
    return leadership != null && leadership.leading();
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
    if (leadership != null) {
      leadership.close();
    }
    ServicesFramework f = leading.getAndSet(null);
    if (f != null) {
      f.close();
    }
    detector.close();
    store.close();
  }
}
