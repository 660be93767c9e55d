package io.trellis.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebUiTest {
  private static HttpServer server;
  private static String base;
  /** HTTP/1.1 as browsers speak it: the client's default h2c upgrade confuses Grizzly's answers. */
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    server = new HttpServer();
    server.addListener(new NetworkListener("ui-test", "127.0.0.1", 0));
    server.getServerConfiguration().addHttpHandler(new WebUi(), "/ui");
    server.start();
    base = "http://127.0.0.1:" + server.getListeners().iterator().next().getPort();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAllowsItsOwnImportMapByHashAndNothingInline() throws Exception {
    HttpResponse<String> page = get("/ui/");
    assertEquals(200, page.statusCode());
    Matcher map = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(page.body());
    assertTrue(map.find(), page.body());
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(map.group(1).getBytes(StandardCharsets.UTF_8)));
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(policy.contains("script-src 'self' 'sha256-" + hash + "';"), policy);
    assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElseThrow());
  }

  @Test
  void everyModuleTheImportMapNamesIsServedAsJavaScript() throws Exception {
    String page = get("/ui/").body();
    Matcher each = Pattern.compile("\"(\\./vendor/[^\"]+)\"").matcher(page);
    int found = 0;
    while (each.find()) {
      HttpResponse<String> lib = get("/ui/" + each.group(1).substring(2));
      assertEquals(200, lib.statusCode(), each.group(1));
      assertTrue(lib.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"), each.group(1));
      assertTrue(lib.body().contains("export"), each.group(1) + " is an ES module");
      found++;
    }
    assertEquals(4, found, "preact, its hooks, htm and uPlot");
    assertEquals(200, get("/ui/app/main.js").statusCode());
    assertEquals(200, get("/ui/vendor/uplot/dist/uPlot.min.css").statusCode());
  }

  @Test
  void pathsOutsideTheUiFilesAreNotFound() throws Exception {
    for (String path : new String[] {"/ui/../ui/vendor.properties", "/ui/vendor.properties", "/ui/app/../../WebUi.class",
        "/ui/vendor/nothing/x.js", "/ui/vendor/preact", "/ui/app/%2e%2e/vendor.properties", "/ui/app/nope.js",
        "/ui/" + "a".repeat(300_000)}) {
      HttpResponse<String> r = get(path);
      assertTrue(r.statusCode() == 404 || r.statusCode() == 400 || r.statusCode() == 414, path.length() > 80
          ? path.substring(0, 80) : path + " answered " + r.statusCode());
      assertTrue(!r.body().contains("Exception"), r.body());
    }
  }

  @Test
  void onlyReadsAreServedAndTheBareAddressRedirects() throws Exception {
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/ui/"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, post.statusCode());
    HttpResponse<String> bare = get("/ui");
    assertEquals(302, bare.statusCode());
    assertEquals("/ui/", bare.headers().firstValue("Location").orElseThrow());
  }
}
