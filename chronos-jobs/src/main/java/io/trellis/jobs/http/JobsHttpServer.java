package io.trellis.jobs.http;

import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/** The jobs framework's HTTP server: the {@code /v1/scheduler} API. */
public final class JobsHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints;

  public JobsHttpServer(EngineAccess engine, String host, int port) throws IOException {
    this(engine, host, port, null, ServerSecurity.off());
  }

  /** As above, speaking TLS when {@code tls} is not null. */
  public JobsHttpServer(EngineAccess engine, String host, int port, io.trellis.security.tls.ServerTls tls) throws IOException {
    this(engine, host, port, tls, ServerSecurity.off());
  }

  /** As above, its callers checked by {@code security}. */
  public JobsHttpServer(EngineAccess engine, String host, int port, io.trellis.security.tls.ServerTls tls,
      ServerSecurity security) throws IOException {
    ResourceConfig config = new ResourceConfig()
        .register(new SchedulerResource(engine))
        .register(new HealthResource(engine))
        .register(new BodyLimit())
        .register(new JobAccess())
        .register(new ErrorMapper())
        .register(new io.trellis.http.Utf8Bodies())
        .property(ServerProperties.WADL_FEATURE_DISABLE, true);
    endpoints = io.trellis.security.auth.Endpoints.of(config);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    io.trellis.security.tls.ServerTls.install(tls, server);
    security.install(server, "jobs");
    io.trellis.http.ServerGuards.install(server);
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
