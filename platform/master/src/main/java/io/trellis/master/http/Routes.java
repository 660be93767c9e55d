package io.trellis.master.http;

import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The master's one HTTP handler: agents' calls go to {@link AgentEndpoints}, everything else to
 * the JAX-RS application. Routing on the raw path here, instead of registering both handlers
 * with the server, keeps the server from decoding paths itself: it answered a path with an
 * encoded '/', '\' or NUL (such as {@code /api/v1/roles/..%2F..%2Fetc}) with an empty 500, where
 * the API now answers with a 4xx naming the bad value.
 */
final class Routes extends HttpHandler {
  private final HttpHandler agents;
  private final HttpHandler api;

  Routes(HttpHandler agents, HttpHandler api) {
    super("trellis-master");
    this.agents = agents;
    this.api = api;
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String path = request.getRequestURI();
    boolean agent = path.equals(AgentEndpoints.PATH) || path.startsWith(AgentEndpoints.PATH + "/");
    (agent ? agents : api).service(request, response);
  }

  @Override
  public void start() {
    agents.start();
    api.start();
  }

  @Override
  public void destroy() {
    api.destroy();
    agents.destroy();
  }
}
