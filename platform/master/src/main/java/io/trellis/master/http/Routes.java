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
    String query = request.getQueryString();
    String bad = badEscape(path) != null ? badEscape(path) : query == null ? null : badEscape(query);
    if (bad != null) {
      byte[] body = Bodies.json(new io.trellis.api.ErrorBody(400, "malformed percent-escape '" + bad
          + "' in the request's path or query: write '%' as %25", java.util.List.of()))
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      response.setStatus(400);
      response.setContentType("application/json");
      response.setContentLength(body.length);
      response.getOutputStream().write(body);
      return;
    }
    boolean agent = path.equals(AgentEndpoints.PATH) || path.startsWith(AgentEndpoints.PATH + "/");
    (agent ? agents : api).service(request, response);
  }

  /** The first '%' not followed by two hex digits (with what follows it), or null. */
  static String badEscape(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return raw.substring(i, Math.min(raw.length(), i + 3));
      }
    }
    return null;
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
