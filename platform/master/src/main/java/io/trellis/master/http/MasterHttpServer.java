package io.trellis.master.http;

import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The master's HTTP server: scheduler, agent and operator APIs on one port. */
public final class MasterHttpServer implements AutoCloseable {
  private final HttpServer server;

  public MasterHttpServer(io.trellis.master.MasterRef master, Leadership leadership, String host, int port) throws IOException {
    ResourceConfig config = new ResourceConfig()
        .register(new SchedulerResource(master))
        .register(new OperatorResource(master, leadership))
        .register(new LeaderRedirect(leadership))
        .register(new ErrorMapper())
        .property(org.glassfish.jersey.server.ServerProperties.WADL_FEATURE_DISABLE, true);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    server.getServerConfiguration().addHttpHandler(new AgentEndpoints(master, leadership),
        org.glassfish.grizzly.http.server.HttpHandlerRegistration.builder().contextPath(AgentEndpoints.PATH).urlPattern("/*").build());
    // Request threads mostly wait on the event loop: enough of them that a burst of calls from
    // many agents and frameworks queues at the loop, which works through it back to back.
    for (org.glassfish.grizzly.http.server.NetworkListener listener : server.getListeners()) {
      listener.getTransport().setWorkerThreadPoolConfig(org.glassfish.grizzly.threadpool.ThreadPoolConfig.defaultConfig()
          .setPoolName("trellis-master-http").setCorePoolSize(8).setMaxPoolSize(64).setQueueLimit(-1));
    }
    server.start();
  }

  /** The port bound (useful when 0 asked for a free one). */
  public int port() {
    return server.getListeners().iterator().next().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
