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
        byte[] body = request.getInputStream().readNBytes(1 << 20);
        response.setContentType("application/json");
        response.getWriter().write("{\"path\":\"" + request.getRequestURI() + "\",\"read\":" + body.length + "}");
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
    return send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  }

  private String[] send(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
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
  void aBodySentWithAnUpgradeToHttp2IsReadByItsLengthAndAnsweredAsHttp11() throws Exception {
    // Java's HTTP client asks a plain-HTTP server to upgrade to h2c by default.
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/apps")).timeout(java.time.Duration.ofSeconds(10))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"x\"}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
    assertEquals(10, Json.mapper().readTree(r.body()).path("read").asInt(), r.body());
    String[] ws = send("POST /apps HTTP/1.1\r\nHost: x\r\nConnection: close\r\nUpgrade: websocket\r\n"
        + "Content-Length: 2\r\n\r\n{}");
    assertTrue(ws[0].startsWith("HTTP/1.1 200"), ws[0]);
    assertEquals(2, Json.mapper().readTree(ws[1]).path("read").asInt(), ws[1]);
  }

  @Test
  void goodRequestsReachTheHandler() throws Exception {
    String[] r = get("/a/b%20c?x=%41");
    assertTrue(r[0].startsWith("HTTP/1.1 200"), r[0]);
    assertEquals("/a/b%20c", Json.mapper().readTree(r[1]).path("path").asText());
  }
}
