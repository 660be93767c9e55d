package io.trellis.services.http;

import io.trellis.services.event.EventBus;
import io.trellis.services.framework.ServicesFramework;
import io.trellis.services.store.ServiceStore;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The {@code /v2} API of the services framework on one port. */
public final class ServicesHttpServer implements AutoCloseable {
  private final HttpServer server;

  /** What the info endpoint reports about this process. */
  public record Info(String zk, String role, String host) {}

  public ServicesHttpServer(ServicesFramework framework, ServiceStore store, EventBus bus, Info info,
      String host, int port) throws IOException {
    int[] bound = new int[1];
    ResourceConfig config = new ResourceConfig()
        .register(new AppsResource(framework, store))
        .register(new TasksResource(framework))
        .register(new DeploymentsResource(framework))
        .register(new QueueResource(framework))
        .register(new InfoResource(framework, info, () -> host + ":" + bound[0]))
        .register(new EventsResource(bus))
        .register(new ErrorMapper())
        .property(ServerProperties.WADL_FEATURE_DISABLE, true);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    try {
      server.start();
    } catch (IOException e) {
      throw new IOException("cannot listen on " + host + ":" + port + " for the services API: " + e.getMessage(), e);
    }
    bound[0] = port();
  }

  public int port() {
    return server.getListeners().iterator().next().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
