package io.trellis.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes against real servers, sockets and processes. */
class ProbeTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger status = new AtomicInteger(200);
  private HttpServer server;

  @TempDir
  Path sandbox;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/health", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.createContext("/slow", exchange -> {
      try {
        Thread.sleep(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    timers.shutdownNow();
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static ProbeResult await(Probe p) throws Exception {
    return p.run().get(30, TimeUnit.SECONDS);
  }

  @Test
  void httpPassesOn200To399AndFailsOtherwise() throws Exception {
    HttpProbe probe = new HttpProbe(client, "http", "127.0.0.1", port(), "/health", Duration.ofSeconds(5));
    assertEquals("HTTP GET http://127.0.0.1:" + port() + "/health", probe.description());
    assertEquals(ProbeResult.pass("returned 200"), await(probe));
    status.set(302);
    assertEquals(ProbeResult.pass("returned 302"), await(probe));
    status.set(500);
    assertEquals(ProbeResult.fail("returned 500"), await(probe));
    status.set(404);
    assertEquals(ProbeResult.fail("returned 404"), await(probe));
  }

  @Test
  void httpWithoutAPathProbesTheRoot() {
    HttpProbe probe = new HttpProbe(client, "http", "127.0.0.1", 8080, null, Duration.ofSeconds(1));
    assertEquals("HTTP GET http://127.0.0.1:8080/", probe.description());
  }

  @Test
  void httpFailsWhenTheServerAnswersTooLate() throws Exception {
    HttpProbe probe = new HttpProbe(client, "http", "127.0.0.1", port(), "/slow", Duration.ofMillis(300));
    assertEquals(ProbeResult.fail("timed out after 0.3 s"), await(probe));
  }

  @Test
  void httpFailsOnAClosedPort() throws Exception {
    int closed = closedPort();
    ProbeResult r = await(new HttpProbe(client, "http", "127.0.0.1", closed, "/", Duration.ofSeconds(5)));
    assertFalse(r.passed());
    assertTrue(r.detail().startsWith("failed"), r.detail());
  }

  @Test
  void httpsAcceptsASelfSignedCertificateForAnotherName() throws Exception {
    Path keystore = sandbox.resolve("task.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-alias", "task", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=task.example")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes());
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool: " + out);
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    javax.net.ssl.SSLContext serverTls = javax.net.ssl.SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
        new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(serverTls));
    https.createContext("/health", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    https.start();
    try {
      HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .sslContext(TrustingTls.context()).build();
      int port = https.getAddress().getPort();
      HttpProbe probe = new HttpProbe(trusting, "https", "127.0.0.1", port, "/health", Duration.ofSeconds(10));
      assertEquals("HTTPS GET https://127.0.0.1:" + port + "/health", probe.description());
      assertEquals(ProbeResult.pass("returned 200"), await(probe));
      status.set(503);
      assertEquals(ProbeResult.fail("returned 503"), await(probe));
    } finally {
      https.stop(0);
    }
  }

  @Test
  void tcpPassesOnAnOpenPortAndFailsOnAClosedOne() throws Exception {
    assertEquals(ProbeResult.pass("connected"), await(new TcpProbe("127.0.0.1", port(), Duration.ofSeconds(5), timers)));
    int closed = closedPort();
    TcpProbe probe = new TcpProbe("127.0.0.1", closed, Duration.ofSeconds(5), timers);
    assertEquals("TCP connect to 127.0.0.1:" + closed, probe.description());
    assertEquals(ProbeResult.fail("failed: connection refused"), await(probe));
  }

  @Test
  void aCommandPassesOnStatusZeroWithTheTaskEnvironmentInTheSandbox() throws Exception {
    CommandProbe probe = new CommandProbe("test \"$TRELLIS_TASK_ID\" = t1 && pwd > where", "",
        new HostCommands(sandbox, Map.of("TRELLIS_TASK_ID", "t1")), Duration.ofSeconds(10), timers);
    assertEquals(ProbeResult.pass("exited with status 0"), await(probe));
    assertEquals(sandbox.toRealPath().toString(), Files.readString(sandbox.resolve("where")).trim());
  }

  @Test
  void aCommandFailsOnANonZeroStatus() throws Exception {
    CommandProbe probe = new CommandProbe("exit 1", "", new HostCommands(sandbox, Map.of()),
        Duration.ofSeconds(10), timers);
    assertEquals("command 'exit 1'", probe.description());
    assertEquals(ProbeResult.fail("exited with status 1"), await(probe));
  }

  @Test
  void aCommandRunningPastItsTimeoutFailsAndIsKilledWithItsChildren() throws Exception {
    CommandProbe probe = new CommandProbe("sleep 600 & echo $! > child.pid; wait", "",
        new HostCommands(sandbox, Map.of()), Duration.ofMillis(500), timers);
    assertEquals(ProbeResult.fail("timed out after 0.5 s"), await(probe));
    long child = Long.parseLong(Files.readString(sandbox.resolve("child.pid")).trim());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the command's child was killed");
  }

  @Test
  void aCommandThatCannotStartFails() throws Exception {
    CommandProbe probe = new CommandProbe("true", "", new HostCommands(sandbox.resolve("missing"), Map.of()),
        Duration.ofSeconds(5), timers);
    ProbeResult r = await(probe);
    assertFalse(r.passed());
    assertTrue(r.detail().startsWith("could not start"), r.detail());
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
