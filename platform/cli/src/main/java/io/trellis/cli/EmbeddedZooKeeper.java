package io.trellis.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A ZooKeeper server inside this JVM, through ZooKeeper's own embedded server: standalone, or
 * one member of an ensemble. Its snapshots and transaction logs are under {@code <dir>/data}.
 */
final class EmbeddedZooKeeper implements AutoCloseable {
  /** The four-letter commands health checks and operators may send. */
  static final String FOUR_LETTER_COMMANDS = "ruok,srvr,stat,mntr,conf,isro";

  private final ZooKeeperServerEmbedded server;
  private final String host;
  private final int port;

  private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, String host, int port) {
    this.server = server;
    this.host = host;
    this.port = port;
  }

  /** A standalone server on 127.0.0.1, as {@code trellis local} runs it. */
  static EmbeddedZooKeeper start(Path dir, int port) throws Exception {
    return standalone(dir, "127.0.0.1", port);
  }

  /** A standalone server bound to {@code bind}. */
  static EmbeddedZooKeeper standalone(Path dir, String bind, int port) throws Exception {
    Properties p = common(port, bind);
    return start(dir, p, bind, port);
  }

  /**
   * Member {@code id} of {@code ensemble}: it binds the addresses of its own entry and serves
   * clients once a majority of the members has elected a leader.
   */
  static EmbeddedZooKeeper member(Path dir, ZooKeeperEnsemble ensemble, int id) throws Exception {
    ZooKeeperEnsemble.Member self = ensemble.member(id);
    Properties p = common(self.clientPort(), self.host());
    for (int i = 1; i <= ensemble.members().size(); i++) {
      p.setProperty("server." + i, ensemble.member(i).serverLine());
    }
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Path myid = data.resolve("myid");
    if (Files.exists(myid)) {
      String existing = Files.readString(myid, StandardCharsets.US_ASCII).trim();
      if (!existing.equals(Integer.toString(id))) {
        throw new IllegalArgumentException("the data directory " + dir + " belongs to ZooKeeper member " + existing
            + ", not " + id + ": give each member its own --data-dir (or the --id it was started with)");
      }
    } else {
      Files.writeString(myid, id + "\n", StandardCharsets.US_ASCII);
    }
    return start(dir, p, self.host(), self.clientPort());
  }

  private static Properties common(int clientPort, String bind) {
    Properties p = new Properties();
    p.setProperty("clientPort", Integer.toString(clientPort));
    p.setProperty("clientPortAddress", bind);
    // Sessions of 1 s (two ticks of 500 ms) to 60 s: the masters' default is 10 s.
    p.setProperty("tickTime", "500");
    p.setProperty("maxSessionTimeout", "60000");
    p.setProperty("initLimit", "20");
    p.setProperty("syncLimit", "10");
    p.setProperty("admin.enableServer", "false");
    p.setProperty("4lw.commands.whitelist", FOUR_LETTER_COMMANDS);
    // Keeps the newest snapshots and the logs they need, purged every hour.
    p.setProperty("autopurge.snapRetainCount", "5");
    p.setProperty("autopurge.purgeInterval", "1");
    return p;
  }

  private static EmbeddedZooKeeper start(Path dir, Properties p, String host, int port) throws Exception {
    Files.createDirectories(dir);
    removeOldConfigurations(dir);
    ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
        .baseDir(dir).configuration(p).exitHandler(ExitHandler.LOG_ONLY).build();
    server.start(30_000);
    return new EmbeddedZooKeeper(server, host, port);
  }

  /** The embedded server writes its configuration to a new file at every start: keep only the current one. */
  private static void removeOldConfigurations(Path dir) throws IOException {
    try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "zookeeper.configuration*.properties")) {
      for (Path file : old) {
        Files.deleteIfExists(file);
      }
    }
  }

  String connectString() {
    return host + ":" + port;
  }

  /**
   * Waits until the server serves clients: at once for a standalone server, once a quorum has
   * formed for a member of an ensemble.
   *
   * @return whether it serves within {@code timeout}
   */
  boolean awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (fourLetter("srvr").contains("Mode: ")) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }

  /** The answer to a four-letter command, or "" when the server does not answer. */
  String fourLetter(String command) {
    String target = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(target, port), 2_000);
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
