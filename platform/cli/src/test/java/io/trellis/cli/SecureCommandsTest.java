package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.trellis.testkit.LocalJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code trellis} command against a secured cluster: {@code trellis local --tls} serves
 * https with its own CA, which a client trusts when given it and refuses otherwise; a server's
 * 401 becomes a message saying what to do next. One line each, a non-zero exit, no stack trace.
 */
class SecureCommandsTest {
  private record Result(int code, String out, String err) {}

  private static Result trellis(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Trellis.withErrorMessages(Trellis.commandLine());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      int code = cli.execute(args);
      return new Result(code, out + printed.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(original);
    }
  }

  private static void assertNoTrace(Result r) {
    assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace:\n" + r.err());
  }

  @Test
  void localWithTlsServesHttpsThatClientsTrustWithItsCaOnly() throws Exception {
    Path root = Files.createTempDirectory("trellis-local-tls-");
    try (LocalJvm local = LocalJvm.onFreePorts(root.resolve("data")).start("--tls")) {
      local.awaitUp(Duration.ofSeconds(90));
      String master = "127.0.0.1:" + local.masterPort;
      assertTrue(local.output().contains("https://" + master), local.output());
      Path ca = local.dataDir.resolve("security/ca.pem");
      assertTrue(Files.isReadable(ca), "the CA is in the data directory");

      // Closed as well: the admin token of this data directory goes with the call.
      String token = local.dataDir.resolve("security/admin.token").toString();
      Result trusted = trellis("state", "--master", master, "--ca", ca.toString(), "--token-file", token);
      assertEquals(0, trusted.code(), trusted.err());
      assertTrue(trusted.out().contains("AGENTS (1)"), trusted.out());

      Path otherCa = io.trellis.security.tls.SelfSignedSetup.ensure(root.resolve("other"), java.util.List.of(),
          java.time.Instant.now()).ca();
      Result stranger = trellis("state", "--master", master, "--ca", otherCa.toString(), "--token-file", token);
      assertEquals(1, stranger.code());
      assertTrue(stranger.err().contains("TRELLIS_CA or --ca"), stranger.err());
      assertNoTrace(stranger);
    } finally {
      LocalJvm.deleteTree(root);
    }
  }

  @Test
  void aRefusalSaysWhatToDoNext() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "{\"status\":401,\"message\":\"authentication required\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Path token = Files.createTempFile("trellis-token-", ".txt");
      Files.writeString(token, "not-the-right-one\n");
      Result r = trellis("state", "--master", "127.0.0.1:" + server.getAddress().getPort(), "--token-file", token.toString());
      assertEquals(1, r.code());
      assertTrue(r.err().startsWith("trellis state: authentication required; the server refused the credentials from "
          + token), r.err());
      assertFalse(r.err().contains("not-the-right-one"), "the token is never printed: " + r.err());
      assertNoTrace(r);
      Files.delete(token);
    } finally {
      server.stop(0);
    }
  }
}
