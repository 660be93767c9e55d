package io.trellis.security.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.security.Action;
import io.trellis.security.RequestSecurity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on a real Grizzly server with a JAX-RS application, as the four Trellis servers install it. */
class ServerSecurityTest {
  @TempDir
  java.nio.file.Path dir;

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String adminToken = Hashes.newToken();
  private final String opsToken = Hashes.newToken();

  /** A tiny API: reads, and a change that asks the access rules about its object. */
  @Path("/")
  public static final class Things {
    @GET
    @Path("things")
    public String list() {
      return "[]";
    }

    @GET
    @Path("metrics")
    public String metrics() {
      return "up 1";
    }

    @GET
    @Path("health")
    public String health() {
      return "{}";
    }

    @POST
    @Path("things/{name}")
    public String change(@PathParam("name") String name, @Context ContainerRequestContext request) {
      RequestSecurity.require(request, Action.MANAGE_APPS, "/" + name);
      return "{\"changed\":\"" + name + "\"}";
    }
  }

  private HttpServer start(ServerSecurity security) throws Exception {
    HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
        new ResourceConfig().register(new Things()), false);
    security.install(server, "test");
    server.start();
    return server;
  }

  private ServerSecurity closed() {
    AccessRules rules = AccessRules.parse("""
        [{"principals": ["ops"], "action": "manage_apps", "objects": ["/ops-*"], "allow": true},
         {"principals": ["ops"], "action": "read", "objects": ["/things"], "allow": true}]""", Set.of("admin"));
    return ServerSecurity.on(List.of(BearerTokens.of(Map.of("admin", Hashes.tokenHash(adminToken),
        "ops", Hashes.tokenHash(opsToken)))), rules);
  }

  private HttpResponse<String> call(HttpServer server, String method, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.getListeners().iterator().next().getPort() + path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callsWithoutOrWithWrongCredentialsAre401WithAJsonBodyAndAChallenge() throws Exception {
    HttpServer server = start(closed());
    try {
      for (String[] c : new String[][] {{"GET", "/things"}, {"POST", "/things/x"}, {"GET", "/metrics"}, {"GET", "/nope"}}) {
        HttpResponse<String> none = call(server, c[0], c[1], null);
        assertEquals(401, none.statusCode(), c[0] + " " + c[1]);
        assertEquals("Bearer realm=\"trellis\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(none.body().startsWith("{\"status\":401,\"message\":\"authentication required"), none.body());
        HttpResponse<String> wrong = call(server, c[0], c[1], "Bearer " + Hashes.newToken());
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("the bearer token is not valid"), wrong.body());
        assertEquals(401, call(server, c[0], c[1], "Digest abc").statusCode());
      }
      assertEquals(200, call(server, "GET", "/health", null).statusCode(), "the liveness probe stays open");
      assertEquals(200, call(server, "GET", "/things", "Bearer " + adminToken).statusCode());
      assertEquals(200, call(server, "POST", "/things/x", "bearer " + adminToken).statusCode());
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void aPrincipalOutsideTheRulesGets403NamingTheRuleAndEveryChangeIsAudited() throws Exception {
    HttpServer server = start(closed());
    try (AuditCapture audit = new AuditCapture()) {
      assertEquals(200, call(server, "POST", "/things/ops-web", "Bearer " + opsToken).statusCode());
      HttpResponse<String> refused = call(server, "POST", "/things/prod-web", "Bearer " + opsToken);
      assertEquals(403, refused.statusCode());
      assertTrue(refused.body().contains("principal 'ops' may not manage_apps app id '/prod-web': no rule allows it"
          + " (default deny)"), refused.body());
      HttpResponse<String> read = call(server, "GET", "/metrics", "Bearer " + opsToken);
      assertEquals(403, read.statusCode());
      assertTrue(read.body().contains("may not read what '/metrics'"), read.body());
      HttpResponse<String> encoded = call(server, "GET", "/%6Detrics", "Bearer " + opsToken);
      assertEquals(403, encoded.statusCode(), "an encoded path is checked as what it reads");
      assertTrue(encoded.body().contains("may not read what '/metrics'"), encoded.body());
      assertEquals(403, call(server, "GET", "//metrics/./", "Bearer " + opsToken).statusCode());
      call(server, "POST", "/things/x", null);
      List<String> lines = audit.lines();
      assertEquals(3, lines.size(), lines.toString());
      assertTrue(lines.get(0).contains("server=test principal=ops call=\"POST /things/ops-web\""
          + " manage_apps=\"/ops-web\":allowed status=200"), lines.get(0));
      assertTrue(lines.get(1).contains("principal=ops call=\"POST /things/prod-web\" manage_apps=\"/prod-web\":refused"
          + " status=403"), lines.get(1));
      assertTrue(lines.get(2).contains("principal=unauthenticated call=\"POST /things/x\" status=401"), lines.get(2));
      assertFalse(String.join("\n", lines).contains(opsToken), "no token in the audit log");
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void basicCredentialsFromAHashedFileAndAWrongPasswordIs401() throws Exception {
    java.nio.file.Path file = dir.resolve("users");
    Files.writeString(file, "# users\nanna:" + Hashes.passwordHash("s3cret!".toCharArray(), 1000) + "\n");
    ServerSecurity security = ServerSecurity.on(List.of(BearerTokens.of(Map.of()), BasicCredentials.fromFile(file)),
        AccessRules.parse("[{\"principals\": [\"anna\"], \"action\": \"read\", \"allow\": true}]", Set.of()));
    HttpServer server = start(security);
    try {
      HttpResponse<String> wrong = call(server, "GET", "/things", basic("anna", "s3cret"));
      assertEquals(401, wrong.statusCode());
      assertTrue(wrong.body().contains("wrong user name or password"), wrong.body());
      assertEquals(List.of("Bearer realm=\"trellis\"", "Basic realm=\"trellis\""), wrong.headers().allValues("WWW-Authenticate"));
      assertEquals(401, call(server, "GET", "/things", basic("bob", "s3cret!")).statusCode());
      assertEquals(401, call(server, "GET", "/things", "Basic !!!").statusCode());
      assertEquals(200, call(server, "GET", "/things", basic("anna", "s3cret!")).statusCode());
      assertEquals(200, call(server, "GET", "/things", basic("anna", "s3cret!")).statusCode(), "remembered");
      assertEquals(403, call(server, "POST", "/things/x", basic("anna", "s3cret!")).statusCode());
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void anonymousReadAndOpenMetricsOnlyWhenConfigured() throws Exception {
    HttpServer server = start(closed().withAnonymousRead(true).withOpenMetrics(true));
    try {
      assertEquals(200, call(server, "GET", "/things", null).statusCode());
      assertEquals(200, call(server, "GET", "/metrics", null).statusCode());
      assertEquals(401, call(server, "POST", "/things/x", null).statusCode(), "anonymous may only read");
      assertEquals(401, call(server, "GET", "/things", "Bearer wrong").statusCode(), "wrong credentials never pass as anonymous");
    } finally {
      server.shutdownNow();
    }
    HttpServer metricsOnly = start(closed().withOpenMetrics(true));
    try {
      assertEquals(200, call(metricsOnly, "GET", "/metrics", null).statusCode());
      assertEquals(401, call(metricsOnly, "GET", "/things", null).statusCode());
    } finally {
      metricsOnly.shutdownNow();
    }
  }

  @Test
  void theAdminTokenIsMadeOnceOwnerOnlyAndOnlyItsHashIsKept() throws Exception {
    SecurityDir security = SecurityDir.open(dir.resolve("security"));
    assertTrue(security.ensureToken("admin"));
    String token = Files.readString(security.tokenFile("admin")).strip();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(security.tokenFile("admin"))));
    assertFalse(security.ensureToken("admin"), "kept on the next start");
    String tokens = Files.readString(security.tokens());
    assertFalse(tokens.contains(token));
    assertTrue(tokens.contains("admin " + Hashes.tokenHash(token)));
    assertEquals(1, tokens.lines().filter(l -> l.startsWith("admin ")).count());
    assertTrue(security.knows("admin", List.of()));
    HttpServer server = start(security.serverSecurity(List.of(), null, null, "admin"));
    try {
      assertEquals(200, call(server, "POST", "/things/x", "Bearer " + token).statusCode());
      assertEquals(401, call(server, "POST", "/things/x", "Bearer " + token + "x").statusCode());
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void aMissingOrBadSecurityFileStopsTheStartNamingTheOptionAndTheFile() throws Exception {
    SecurityDir security = SecurityDir.open(dir.resolve("security"));
    java.nio.file.Path missing = dir.resolve("nope.json");
    IllegalArgumentException gone = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> security.serverSecurity(List.of(), null, missing, "admin"));
    assertEquals("--acl-file " + missing + " does not exist: give the path of an existing file", gone.getMessage());
    java.nio.file.Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "[{\"principals\": [\"a\"], \"action\": \"fly\", \"allow\": true}]");
    IllegalArgumentException wrong = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> security.serverSecurity(List.of(), null, bad, "admin"));
    assertTrue(wrong.getMessage().startsWith(bad + ": rules[0].action 'fly' is not one of"), wrong.getMessage());
    java.nio.file.Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "ci not-a-hash\n");
    IllegalArgumentException hash = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> security.serverSecurity(List.of(tokens), null, null, "admin"));
    assertTrue(hash.getMessage().startsWith(tokens + " line 1: expected '<principal> sha256:<64 hex digits>'"), hash.getMessage());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
