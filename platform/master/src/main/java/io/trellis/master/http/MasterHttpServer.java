package io.trellis.master.http;

import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The master's HTTP server: scheduler, agent and operator APIs on one port. */
public final class MasterHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints;

  public MasterHttpServer(io.trellis.master.MasterRef master, Leadership leadership, String host, int port) throws IOException {
    this(master, leadership, host, port, null, ServerSecurity.off());
  }

  /** As above, speaking TLS when {@code tls} is not null. */
  public MasterHttpServer(io.trellis.master.MasterRef master, Leadership leadership, String host, int port,
      io.trellis.security.tls.ServerTls tls) throws IOException {
    this(master, leadership, host, port, tls, ServerSecurity.off());
  }

  /** As above, its callers checked by {@code security}. */
  public MasterHttpServer(io.trellis.master.MasterRef master, Leadership leadership, String host, int port,
      io.trellis.security.tls.ServerTls tls, ServerSecurity security) throws IOException {
    ResourceConfig config = new ResourceConfig()
        .register(new SchedulerResource(master))
        .register(new OperatorResource(master, leadership))
        .register(new LeaderRedirect(leadership))
        .register(new ErrorMapper())
        .register(new io.trellis.http.Utf8Bodies())
        .property(org.glassfish.jersey.server.ServerProperties.WADL_FEATURE_DISABLE, true);
    endpoints = AgentEndpoints.endpoints(io.trellis.security.auth.Endpoints.of(config));
    HttpHandler api = ContainerFactory.createContainer(GrizzlyHttpContainer.class, config);
    server = new HttpServer();
    server.addListener(new NetworkListener("trellis-master", host, port));
    server.getServerConfiguration().setPassTraceRequest(true);
    server.getServerConfiguration().setDefaultQueryEncoding(java.nio.charset.StandardCharsets.UTF_8);
    server.getServerConfiguration().addHttpHandler(new Routes(new AgentEndpoints(master, leadership), api, new io.trellis.ui.WebUi(),
        new FrameworkProxy(master), leadership),
        HttpHandlerRegistration.ROOT);
    io.trellis.security.tls.ServerTls.install(tls, server);
    security.install(server, "master");
    // What the server answers before the API's code runs is JSON too, without a trace.
    io.trellis.http.ServerGuards.install(server);
    // Agents' calls wait on the event loop (scheduler calls do not hold a thread meanwhile):
    // enough threads that a burst of status updates queues at the loop, which works through it
    // back to back, and a heartbeat still finds a free thread to be taken at once.
    for (org.glassfish.grizzly.http.server.NetworkListener listener : server.getListeners()) {
      listener.getTransport().setWorkerThreadPoolConfig(org.glassfish.grizzly.threadpool.ThreadPoolConfig.defaultConfig()
          .setPoolName("trellis-master-http").setCorePoolSize(8).setMaxPoolSize(128).setQueueLimit(-1));
    }
    server.start();
  }

  /** Every endpoint this server serves, for tests that must cover them all. */
  public java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints() {
    return endpoints;
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
