package io.trellis.master.http;

import io.trellis.ui.WebUi;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The master's one HTTP handler: agents' calls go to {@link AgentEndpoints}, the web UI's files to
 * {@link WebUi}, calls for a framework's own API to {@link FrameworkProxy}, everything else to the
 * JAX-RS application. Routing on the raw path here, instead of registering both handlers
 * with the server, keeps the server from decoding paths itself: it answered a path with an
 * encoded '/', '\' or NUL (such as {@code /api/v1/roles/..%2F..%2Fetc}) with an empty 500, where
 * the API now answers with a 4xx naming the bad value.
 */
final class Routes extends HttpHandler {
  private final HttpHandler agents;
  private final HttpHandler api;
  private final HttpHandler ui;
  private final HttpHandler proxy;

  Routes(HttpHandler agents, HttpHandler api, HttpHandler ui, HttpHandler proxy) {
    super("trellis-master");
    this.agents = agents;
    this.api = api;
    this.ui = ui;
    this.proxy = proxy;
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String path = request.getRequestURI();
    if (path.equals(AgentEndpoints.PATH) || path.startsWith(AgentEndpoints.PATH + "/")) {
      agents.service(request, response);
    } else if (WebUi.serves(path)) {
      ui.service(request, response);
    } else if (FrameworkProxy.serves(path)) {
      proxy.service(request, response);
    } else if (path.equals("/") && request.getMethod() == org.glassfish.grizzly.http.Method.GET) {
      // A person who opens the master's address in a browser gets the UI.
      response.setStatus(302);
      response.setHeader("Location", WebUi.PREFIX + "/");
    } else {
      api.service(request, response);
    }
  }

  @Override
  public void start() {
    agents.start();
    api.start();
    ui.start();
    proxy.start();
  }

  @Override
  public void destroy() {
    proxy.destroy();
    ui.destroy();
    api.destroy();
    agents.destroy();
  }
}
