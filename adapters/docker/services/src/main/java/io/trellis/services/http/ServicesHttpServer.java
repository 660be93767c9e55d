package io.trellis.services.http;

import io.trellis.services.event.EventBus;
import io.trellis.services.ServiceException;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.ha.Leadership;
import io.trellis.services.store.ServiceStore;
import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The {@code /v2} API of the services framework on one port. */
public final class ServicesHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints;

  /** What the info endpoint reports about this process. */
  public record Info(String zk, String role, String host) {}

  /**
   * Listens on {@code host:port} (0: any free port).
   *
   * @param election the election of the services instances; calls are passed on to the leader
   *     while this instance does not lead
   * @param leading the framework of this instance's term of leadership, or null while it does
   *     not lead (calls are then passed on to the leader)
   */
  public ServicesHttpServer(Leadership election, Supplier<ServicesFramework> leading,
      ServiceStore store, EventBus bus, Info info, String host, int port) throws IOException {
    this(election, leading, store, bus, info, host, port, null, io.trellis.security.ClientSecurity.none(),
        ServerSecurity.off());
  }

  /**
   * As above, speaking TLS when {@code tls} is not null; calls passed on to the leader use
   * {@code peers}' TLS settings (the caller's own credentials travel with them).
   */
  public ServicesHttpServer(Leadership election, Supplier<ServicesFramework> leading, ServiceStore store,
      EventBus bus, Info info, String host, int port, io.trellis.security.tls.ServerTls tls,
      io.trellis.security.ClientSecurity peers) throws IOException {
    this(election, leading, store, bus, info, host, port, tls, peers, ServerSecurity.off());
  }

  /** As above, with callers checked by {@code security}. */
  public ServicesHttpServer(Leadership election, Supplier<ServicesFramework> leading, ServiceStore store,
      EventBus bus, Info info, String host, int port, io.trellis.security.tls.ServerTls tls,
      io.trellis.security.ClientSecurity peers, ServerSecurity security) throws IOException {
    Supplier<ServicesFramework> framework = () -> {
      ServicesFramework f = leading.get();
      if (f == null) {
        throw new ServiceException(503, "this services instance does not lead (leader election in"
            + " progress); retry in a few seconds");
      }
      return f;
    };
    ResourceConfig config = new ResourceConfig()
        .register(new AppsResource(framework, store))
        .register(new GroupsResource(framework))
        .register(new TasksResource(framework))
        .register(new DeploymentsResource(framework))
        .register(new QueueResource(framework))
        .register(new InfoResource(leading, election, info))
        .register(new BodyLimit())
        .register(new LeaderProxy(election, peers))
        .register(new AppAccess(framework))
        .register(new EventsResource(bus))
        .register(new ErrorMapper())
        .register(new io.trellis.http.Utf8Bodies())
        .property(ServerProperties.WADL_FEATURE_DISABLE, true);
    endpoints = io.trellis.security.auth.Endpoints.of(config);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    io.trellis.security.tls.ServerTls.install(tls, server);
    security.install(server, "services");
    io.trellis.http.ServerGuards.install(server);
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + host + ":" + port + " for the services API: " + e.getMessage(), e);
    }
  }

  /** Every endpoint this server serves, for tests that must cover them all. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return endpoints;
  }

  public int port() {
    return server.getListeners().iterator().next().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
