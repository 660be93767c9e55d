package io.trellis.agent.http;

import io.trellis.agent.AgentApi;
import io.trellis.security.signing.SignatureVerifier;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The agent's HTTP server: task orders from the master, sandbox files, state. */
public final class AgentHttpServer implements AutoCloseable {
  private final HttpServer server;

  /** A server that takes calls from any master (no cluster key configured). */
  public AgentHttpServer(AgentApi api, String host, int port) throws IOException {
    this(api, host, port, null);
  }

  /** As above, speaking TLS when {@code tls} is not null. */
  public AgentHttpServer(AgentApi api, String host, int port, io.trellis.security.tls.ServerTls tls) throws IOException {
    this(api, host, port, tls, null);
  }

  /**
   * @param tls the TLS to speak, or {@code null} for plain HTTP
   * @param verifier checks masters' signatures on every call that changes something; {@code null}
   *     to take unsigned calls (no cluster key configured)
   */
  public AgentHttpServer(AgentApi api, String host, int port, io.trellis.security.tls.ServerTls tls,
      SignatureVerifier verifier) throws IOException {
    ResourceConfig config = new ResourceConfig().register(new AgentResource(api)).register(new JsonErrors())
        .register(new io.trellis.http.Utf8Bodies())
        .property(org.glassfish.jersey.server.ServerProperties.WADL_FEATURE_DISABLE, true);
    if (verifier != null) {
      config.register(new SignedCalls(verifier));
    }
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    io.trellis.security.tls.ServerTls.install(tls, server);
    // What the server answers before the agent's code runs is JSON too, never a stack trace.
    io.trellis.http.ServerGuards.install(server);
    server.start();
  }

  public int port() {
    return server.getListeners().iterator().next().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
