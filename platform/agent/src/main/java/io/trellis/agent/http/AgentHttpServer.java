package io.trellis.agent.http;

import io.trellis.agent.AgentApi;
import java.io.IOException;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The agent's HTTP server: task orders from the master, sandbox files, state. */
public final class AgentHttpServer implements AutoCloseable {
  private final HttpServer server;

  public AgentHttpServer(AgentApi api, String host, int port) throws IOException {
    ResourceConfig config = new ResourceConfig().register(new AgentResource(api)).register(new JsonErrors())
        .property(org.glassfish.jersey.server.ServerProperties.WADL_FEATURE_DISABLE, true);
    server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://" + host + ":" + port + "/"), config, false);
    // What the server itself answers (a malformed request) is JSON too, never a stack trace.
    server.getServerConfiguration().setDefaultErrorPageGenerator((request, status, reason, description, e) ->
        errorJson(status, reason));
    server.start();
  }

  private static String errorJson(int status, String reason) {
    try {
      return io.trellis.api.Json.mapper().writeValueAsString(new io.trellis.api.ErrorBody(status, reason, java.util.List.of()));
    } catch (java.io.IOException impossible) {
      return "{\"status\":" + status + "}";
    }
  }

  public int port() {
    return server.getListeners().iterator().next().getPort();
  }

  @Override
  public void close() {
    server.shutdownNow();
  }
}
