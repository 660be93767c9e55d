package io.trellis.security.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.security.ClientDiscovery;
import io.trellis.security.ClientSecurity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
  @TempDir
  static Path dir;
  static SelfSignedSetup setup;
  private HttpServer server;

  @BeforeAll
  static void generate() throws IOException {
    setup = SelfSignedSetup.ensure(dir.resolve("security"), List.of(), Instant.now());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  private int start(ServerTls tls) throws IOException {
    server = new HttpServer();
    server.addListener(new NetworkListener("test", "127.0.0.1", 0));
    server.getServerConfiguration().addHttpHandler(new HttpHandler() {
      @Override
      public void service(Request request, Response response) throws Exception {
        response.getWriter().write("hello " + request.getScheme());
      }
    });
    assertEquals("https", ServerTls.install(tls, server));
    server.start();
    return server.getListeners().iterator().next().getPort();
  }

  private static HttpResponse<String> get(ClientSecurity client, int port) throws Exception {
    return client.httpClient().build().send(client.authorize(HttpRequest.newBuilder(
        URI.create(client.url("127.0.0.1:" + port) + "/"))).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ClientSecurity client(Path ca, Path cert, Path key) {
    return new ClientSecurity(null, SslContexts.of(cert, key, ca));
  }

  @Test
  void aClientWithoutTheCaIsRefusedAndOneWithItIsServed() throws Exception {
    int port = start(setup.server(ServerTls.ClientAuth.NONE));
    assertThrows(SSLHandshakeException.class, () -> get(client(null, null, null), port));
    HttpResponse<String> r = get(client(setup.ca(), null, null), port);
    assertEquals(200, r.statusCode());
    assertEquals("hello https", r.body());
  }

  @Test
  void plainHttpIsNotServedOnATlsListener() throws Exception {
    int port = start(setup.server(ServerTls.ClientAuth.NONE));
    assertThrows(IOException.class, () -> get(ClientSecurity.none(), port));
  }

  @Test
  void failuresSayWhatToDoInPlainWords() throws Exception {
    int secure = start(setup.server(ServerTls.ClientAuth.NEED));
    ClientSecurity stranger = client(null, null, null);
    String said = stranger.unreachable("the master", assertThrows(IOException.class, () -> get(stranger, secure)));
    assertTrue(said.contains("not signed by a CA this client trusts") && said.contains("TRELLIS_CA"), said);
    ClientSecurity noCertificate = client(setup.ca(), null, null);
    said = noCertificate.unreachable("the master", assertThrows(IOException.class, () -> get(noCertificate, secure)));
    assertTrue(said.contains("client certificate") && said.contains("TRELLIS_CERT"), said);
    assertTrue(!said.contains("Exception"), said);
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificateAndServesOneWithIt() throws Exception {
    int port = start(setup.server(ServerTls.ClientAuth.NEED));
    assertThrows(IOException.class, () -> get(client(setup.ca(), null, null), port));
    assertEquals(200, get(client(setup.ca(), setup.certificate(), setup.key()), port).statusCode());
  }

  @Test
  void mutualTlsRefusesACertificateFromAnotherCa(@TempDir Path other) throws Exception {
    SelfSignedSetup stranger = SelfSignedSetup.ensure(other, List.of(), Instant.now());
    int port = start(setup.server(ServerTls.ClientAuth.NEED));
    assertThrows(IOException.class, () -> get(client(setup.ca(), stranger.certificate(), stranger.key()), port));
  }

  @Test
  void theCliOnTheSameMachineFindsTheLocalCaByItself() throws Exception {
    // A home whose trellis local data directory holds this setup.
    Path home = dir.resolve("home");
    Path security = home.resolve(".trellis/local/security");
    Files.createDirectories(security);
    Files.copy(setup.ca(), security.resolve("ca.pem"));
    ClientSecurity found = new ClientDiscovery(Map.of(), home).discover(ClientDiscovery.Options.NONE);
    int port = start(setup.server(ServerTls.ClientAuth.NONE));
    assertEquals("https", found.scheme());
    assertEquals(200, get(found, port).statusCode());
  }

  @Test
  void theSetupIsKeptBetweenRunsAndItsKeysAreTheOwnersOnly() throws Exception {
    String ca = Files.readString(setup.ca());
    String server = Files.readString(setup.certificate());
    SelfSignedSetup again = SelfSignedSetup.ensure(dir.resolve("security"), List.of(), Instant.now());
    assertEquals(ca, Files.readString(again.ca()));
    assertEquals(server, Files.readString(again.certificate()));
    assertEquals(java.util.Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(setup.key()));
    // A new name renews the server certificate under the same CA.
    SelfSignedSetup renamed = SelfSignedSetup.ensure(dir.resolve("security"), List.of("node-7.example"), Instant.now());
    assertEquals(ca, Files.readString(renamed.ca()));
    assertTrue(Pem.certificates(renamed.certificate()).get(0).getSubjectAlternativeNames().stream()
        .anyMatch(n -> n.get(1).equals("node-7.example")));
  }

  @Test
  void clientAuthWithoutACaIsRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerTls.of(setup.certificate(), setup.key(), null, "need"));
    assertTrue(e.getMessage().contains("--tls-ca"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ServerTls.ClientAuth.parse("sometimes"));
    assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
    assertEquals(null, ServerTls.of(null, null, null, null));
  }
}
