package io.trellis.services;

import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.client.discovery.ZkAddress;
import io.trellis.services.event.EventBus;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.http.ServicesHttpServer;
import io.trellis.services.store.ZkServiceStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running services framework with its {@code /v2} API: the store under
 * {@code <zk root>/services}, the framework, the HTTP server. Wiring in one place.
 */
public final class ServicesProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServicesProcess.class);
  private final ZkServiceStore store;
  private final ServicesFramework framework;
  private final ServicesHttpServer http;
  private final MasterDetector detector;

  private ServicesProcess(ZkServiceStore store, ServicesFramework framework, ServicesHttpServer http,
      MasterDetector detector) {
    this.store = store;
    this.framework = framework;
    this.http = http;
    this.detector = detector;
  }

  /**
   * @param zk {@code zk://host:port/trellis}: the state lives under {@code /trellis/services}
   * @param master where the master is ({@code host:port} or a zk spec); null to find it through {@code zk}
   * @param port the API port, 0 for any free one
   */
  public static ServicesProcess start(String zk, String master, String role, String host, int port) throws Exception {
    ZkAddress address;
    try {
      address = ZkAddress.parse(zk);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid ZooKeeper address '" + zk + "': " + e.getMessage(), e);
    }
    String root = (address.root().equals("/") ? "" : address.root()) + "/services";
    ZkServiceStore store = ZkServiceStore.connect(address.connectString(), root);
    MasterDetector detector = MasterDetectors.from(master == null ? zk : master);
    EventBus bus = new EventBus(Clock.systemUTC());
    ServicesFramework framework = new ServicesFramework(store, detector, Clock.systemUTC(), bus, role, "services");
    ServicesHttpServer http;
    try {
      framework.start();
      http = new ServicesHttpServer(framework, store, bus, new ServicesHttpServer.Info(zk, role, host), host, port);
    } catch (Exception e) {
      framework.close();
      detector.close();
      store.close();
      throw e;
    }
    log.info("services API listening on http://{}:{}/v2 (state in {}{})", host, http.port(), address.connectString(), root);
    return new ServicesProcess(store, framework, http, detector);
  }

  public int port() {
    return http.port();
  }

  public ServicesFramework framework() {
    return framework;
  }

  @Override
  public void close() {
    http.close();
    framework.close();
    detector.close();
    store.close();
  }
}
