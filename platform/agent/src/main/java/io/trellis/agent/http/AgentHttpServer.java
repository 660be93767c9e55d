package io.trellis.agent.http;

import io.trellis.agent.AgentApi;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.SignatureVerifier;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The agent's HTTP server: task orders from the master, sandbox files, state. */
public final class AgentHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final java.util.List<io.trellis.security.auth.Endpoints.Endpoint> endpoints;

  /** A server that takes calls from any master (no cluster key configured). */
  public AgentHttpServer(AgentApi api, String host, int port) throws IOException {
    this(api, host, port, null, ServerSecurity.off());
  }

  /** As above, speaking TLS when {@code tls} is not null. */
  public AgentHttpServer(AgentApi api, String host, int port, io.trellis.security.tls.ServerTls tls) throws IOException {
    this(api, host, port, tls, ServerSecurity.off());
  }

  /** As above, its callers checked by {@code security}. */
  public AgentHttpServer(AgentApi api, String host, int port, io.trellis.security.tls.ServerTls tls,
      ServerSecurity security) throws IOException {
    this(api, host, port, tls, security, null);
  }

  /**
   * @param tls the TLS to speak, or {@code null} for plain HTTP
   * @param security how callers are checked
   * @param verifier checks masters' signatures on every call that changes something; {@code null}
   *     to take unsigned calls (no cluster key configured)
   */
  public AgentHttpServer(AgentApi api, String host, int port, io.trellis.security.tls.ServerTls tls,
      ServerSecurity security, SignatureVerifier verifier) throws IOException {
    ResourceConfig config = new ResourceConfig().register(new AgentResource(api)).register(new JsonErrors())
        .register(new InternalCalls())
        .register(new io.trellis.http.Utf8Bodies())
        .property(org.glassfish.jersey.server.ServerProperties.WADL_FEATURE_DISABLE, true);
    if (verifier != null) {
      config.register(new SignedCalls(verifier));
    }
    endpoints = io.trellis.security.auth.Endpoints.of(config);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    io.trellis.security.tls.ServerTls.install(tls, server);
    security.install(server, "agent");
    // What the server answers before the agent's code runs is JSON too, never a stack trace.
    io.trellis.http.ServerGuards.install(server);
    server.start();
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
