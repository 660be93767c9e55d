package io.trellis.http;

import io.trellis.api.ErrorBody;
import io.trellis.api.Json;
import java.util.List;
import java.util.Map;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;

/**
 * What a Trellis HTTP server answers before its own code runs is JSON like the rest of its API:
 * a request line or headers the server refuses (over 8 KiB, malformed), a malformed
 * percent-escape in a path or query, an error the server produces itself. Never an empty body,
 * an HTML page or a stack trace.
 */
public final class ServerGuards {
  private ServerGuards() {}

  /** Installs the guards on {@code server}: after its handlers are registered, before it starts. */
  public static void install(HttpServer server) {
    ServerConfiguration config = server.getServerConfiguration();
    config.setDefaultErrorPageGenerator((request, status, reason, description, e) -> json(status, reason));
    for (NetworkListener listener : server.getListeners()) {
      listener.registerAddOn(new JsonRefusals());
    }
    for (Map.Entry<HttpHandler, HttpHandlerRegistration[]> h : Map.copyOf(config.getHttpHandlersWithMapping()).entrySet()) {
      config.removeHttpHandler(h.getKey());
      config.addHttpHandler(new EscapeCheck(h.getKey()), h.getValue());
    }
  }

  /** An {@link ErrorBody} with this status and message, as JSON: how every Trellis server answers errors. */
  public static String json(int status, String message) {
    try {
      return Json.mapper().writeValueAsString(new ErrorBody(status, message, List.of()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
      return "{\"status\":" + status + ",\"message\":\"error " + status + "\"}";
    }
  }
}
