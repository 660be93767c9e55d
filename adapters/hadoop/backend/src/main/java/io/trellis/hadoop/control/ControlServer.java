package io.trellis.hadoop.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trellis.api.Json;
import io.trellis.hadoop.framework.NodeManagerFramework;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's small HTTP API for {@code trellis hadoop}: {@code GET /v1/status},
 * {@code POST /v1/flexup {"instances":N,"profile":"small","together":false}}, {@code POST /v1/flexdown {"instances":N}},
 * {@code GET /v1/conf} (the client's Hadoop settings by file) and {@code POST /v1/shutdown}. Errors
 * are JSON {@code {"message":...}} with 400 (unreadable), 401 (no or a wrong token: see {@link
 * io.trellis.security.ControlToken}), 413 (too large), 422 (invalid) or 503.
 */
public final class ControlServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final NodeManagerFramework framework;
  private final Map<String, Object> info;
  private final Map<String, Map<String, String>> clientConf;
  private final Runnable shutdown;
  /** The token every call must carry. */
  private String token;

  private ControlServer(HttpServer server, NodeManagerFramework framework, Map<String, Object> info,
      Map<String, Map<String, String>> clientConf, Runnable shutdown) {
    this.server = server;
    this.framework = framework;
    this.info = info;
    this.clientConf = clientConf;
    this.shutdown = shutdown;
  }

  public static ControlServer start(String host, int port, NodeManagerFramework framework, Map<String, Object> info,
      Map<String, Map<String, String>> clientConf, Runnable shutdown) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    ControlServer c = new ControlServer(server, framework, info, clientConf, shutdown);
    // Closed to anyone without the token, made for the port bound and kept for this user only.
    c.token = io.trellis.security.ControlToken.create(server.getAddress().getPort());
    server.createContext("/v1/", c::handle);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "hadoop-control");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return c;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String route = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
      if (!io.trellis.security.ControlToken.accepts(token, ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"trellis hadoop\"");
        reply(ex, 401, Map.of("message", "the control API needs its token: send 'Authorization: Bearer <token>'"
            + " with the token the ResourceManager wrote to " + io.trellis.security.ControlToken.file(port())
            + " (the trellis command of that user on that machine finds it; elsewhere set "
            + io.trellis.security.ControlToken.ENV + ")"));
        return;
      }
      try {
        switch (route) {
          case "GET /v1/status" -> reply(ex, 200, status());
          case "GET /v1/conf" -> reply(ex, 200, clientConf);
          case "POST /v1/flexup" -> {
            JsonNode body = body(ex);
            int n = instances(body);
            JsonNode profile = body.path("profile");
            if (!profile.isTextual() || profile.asText().isBlank() || profile.asText().length() > 64) {
              throw new Invalid("profile: expected the name of a profile, e.g. \"small\"");
            }
            JsonNode together = body.path("together");
            if (!together.isMissingNode() && !together.isBoolean()) {
              throw new Invalid("together: expected true or false, got " + abbreviate(together.toString()));
            }
            reply(ex, 200, Map.of("message", framework.flexUp(n, profile.asText(), together.asBoolean(false))));
          }
          case "POST /v1/flexdown" -> reply(ex, 200, Map.of("message", framework.flexDown(instances(body(ex)))));
          case "POST /v1/shutdown" -> {
            reply(ex, 200, Map.of("message", "tearing down the framework and stopping the ResourceManager"));
            Thread t = new Thread(shutdown, "hadoop-shutdown");
            t.start();
          }
          default -> reply(ex, 404, Map.of("message", "no route " + route));
        }
      } catch (Invalid | IllegalArgumentException e) {
        reply(ex, 422, Map.of("message", e.getMessage()));
      } catch (TooLarge e) {
        reply(ex, 413, Map.of("message", e.getMessage()));
      } catch (Unreadable e) {
        reply(ex, 400, Map.of("message", e.getMessage()));
      } catch (RuntimeException e) {
        log.debug("control request {} failed", route, e);
        reply(ex, 503, Map.of("message", String.valueOf(e.getMessage())));
      }
    }
  }

  private Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>(info);
    s.put("frameworkId", framework.frameworkId());
    s.put("nodeManagers", framework.status());
    s.put("master", framework.masterReasons());
    return s;
  }

  private static int instances(JsonNode body) {
    JsonNode n = body.path("instances");
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new Invalid("instances: expected a whole number from 1 to 1000, got " + abbreviate(n.toString()));
    }
    return n.asInt();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readNBytes(MAX_BODY + 1);
    }
    if (raw.length > MAX_BODY) {
      throw new TooLarge("request body larger than " + MAX_BODY + " bytes");
    }
    try {
      JsonNode n = Json.mapper().readTree(raw);
      if (n == null || !n.isObject()) {
        throw new Invalid("body: expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new Unreadable("body is not JSON: " + abbreviate(e.getOriginalMessage()));
    }
  }

  private static void reply(HttpExchange ex, int code, Object body) throws IOException {
    byte[] out = Json.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  private static final class Invalid extends RuntimeException {
    Invalid(String m) {
      super(m);
    }
  }

  private static final class TooLarge extends RuntimeException {
    TooLarge(String m) {
      super(m);
    }
  }

  private static final class Unreadable extends RuntimeException {
    Unreadable(String m) {
      super(m);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
