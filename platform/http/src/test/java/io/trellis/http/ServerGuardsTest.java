package io.trellis.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A guarded Grizzly server answers what it refuses itself with a JSON body, and lets good requests through. */
class ServerGuardsTest {
  private HttpServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new HttpServer();
    server.addListener(new NetworkListener("test", "127.0.0.1", 0));
    server.getServerConfiguration().addHttpHandler(new HttpHandler() {
      @Override
      public void service(Request request, Response response) throws Exception {
        response.setContentType("application/json");
        response.getWriter().write("{\"path\":\"" + request.getRequestURI() + "\"}");
      }
    });
    ServerGuards.install(server);
    server.start();
    port = server.getListeners().iterator().next().getPort();
  }

  @AfterEach
  void stop() {
    server.shutdownNow();
  }

  private String[] get(String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      return new String[] {all.substring(0, split), all.substring(split + 4)};
    }
  }

  @Test
  void aRequestLineOver8KibIsA400WithAJsonMessage() throws Exception {
    String[] r = get("/x?y=" + "l".repeat(9000));
    assertTrue(r[0].startsWith("HTTP/1.1 400"), r[0]);
    assertEquals(400, Json.mapper().readTree(r[1]).path("status").asInt(), r[1]);
    assertTrue(Json.mapper().readTree(r[1]).path("message").asText().contains("8 KiB"), r[1]);
  }

  @Test
  void aMalformedPercentEscapeIsA400NamingIt() throws Exception {
    for (String target : new String[] {"/a/%ZZ", "/a?x=%", "/a?x=%4"}) {
      String[] r = get(target);
      assertTrue(r[0].startsWith("HTTP/1.1 400"), target + ": " + r[0]);
      assertTrue(Json.mapper().readTree(r[1]).path("message").asText().contains("malformed percent-escape '%"), r[1]);
    }
  }

  @Test
  void goodRequestsReachTheHandler() throws Exception {
    String[] r = get("/a/b%20c?x=%41");
    assertTrue(r[0].startsWith("HTTP/1.1 200"), r[0]);
    assertEquals("/a/b%20c", Json.mapper().readTree(r[1]).path("path").asText());
  }
}
