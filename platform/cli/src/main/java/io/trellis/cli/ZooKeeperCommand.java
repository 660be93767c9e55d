package io.trellis.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trellis zookeeper}: one ZooKeeper server, standalone or a member of an ensemble, for
 * operators without an ensemble of their own. Runs until SIGTERM, then closes the server.
 */
@Command(name = "zookeeper", mixinStandardHelpOptions = true,
    description = {"Run a ZooKeeper server: standalone, or member --id of the ensemble --ensemble.",
        "Prints 'ZooKeeper <id> serving clients on <host>:<port>' once it serves (for a member: once a majority"
            + " of the ensemble has elected a leader)."})
final class ZooKeeperCommand implements Callable<Integer> {
  private static final String NAME = "trellis zookeeper";

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "Snapshots and transaction logs (DIR/data); one directory per server, kept between runs")
  Path dataDir;

  @Option(names = "--port", paramLabel = "PORT", description = "Client port of a standalone server (default: 2181)")
  Integer port;

  @Option(names = "--bind", paramLabel = "ADDRESS",
      description = "Address a standalone server binds (default: 127.0.0.1; 0.0.0.0 for every address)")
  String bind;

  @Option(names = "--id", paramLabel = "N", description = "This server's position (1-based) in --ensemble")
  Integer id;

  @Option(names = "--ensemble", paramLabel = "HOST:PEER:ELECTION:CLIENT,...",
      description = "Every member of the ensemble, in the same order on every member,"
          + " e.g. zk1:2888:3888:2181,zk2:2888:3888:2181,zk3:2888:3888:2181")
  String ensemble;

  /** SIGTERM asks the main thread to stop ... */
  private final CountDownLatch stopping = new CountDownLatch(1);
  /** ... and waits until it has closed the server, so its last transaction log is complete. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    Trellis.serverLogging();
    Server server;
    try {
      server = server();
      FreePorts.require(server.host(), server.ports(), "Is another ZooKeeper server running here? Stop it, or give"
          + " this one other ports");
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(NAME + ": " + e.getMessage());
      return 2;
    }
    try (EmbeddedZooKeeper zk = start(server)) {
      if (zk == null) {
        return 2;
      }
      stopOnShutdown();
      if (id != null && !zk.awaitServing(Duration.ofSeconds(10))) {
        System.out.println("ZooKeeper " + id + " waiting for a majority of its ensemble (" + ensemble + ")");
      }
      while (!zk.awaitServing(Duration.ofSeconds(1))) {
        if (stopping.await(0, TimeUnit.SECONDS)) {
          return 0;
        }
      }
      System.out.println("ZooKeeper " + server.name() + " serving clients on " + zk.connectString());
      stopping.await();
      quietWhileStopping();
    } finally {
      stopped.countDown();
    }
    return 0;
  }

  /** The server, or null after saying why it cannot start. */
  private EmbeddedZooKeeper start(Server server) throws Exception {
    try {
      return id == null ? EmbeddedZooKeeper.standalone(dataDir, server.host(), server.port())
          : EmbeddedZooKeeper.member(dataDir, ZooKeeperEnsemble.parse(ensemble), id);
    } catch (IllegalArgumentException e) {
      System.err.println(NAME + ": " + e.getMessage());
      return null;
    } catch (IOException e) {
      System.err.println(NAME + ": cannot use the data directory " + dataDir + " (" + e + "): give a --data-dir"
          + " this user may write");
      return null;
    }
  }

  /** What the options ask for, checked. */
  private Server server() {
    if ((id == null) != (ensemble == null)) {
      throw new IllegalArgumentException(id == null ? "--ensemble needs --id N, this server's position in it"
          : "--id needs --ensemble HOST:PEER:ELECTION:CLIENT,... naming every member");
    }
    if (id == null) {
      int p = port == null ? 2181 : port;
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("--port " + p + " is not a port (1 to 65535)");
      }
      String host = bind == null ? "127.0.0.1" : bind;
      return new Server("standalone", host, p, Map.of("client port (--port)", p));
    }
    if (port != null || bind != null) {
      throw new IllegalArgumentException("--port and --bind of a member come from its own --ensemble entry: drop them");
    }
    ZooKeeperEnsemble members = ZooKeeperEnsemble.parse(ensemble);
    ZooKeeperEnsemble.Member self = members.member(id);
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("client port", self.clientPort());
    ports.put("peer port", self.peerPort());
    ports.put("election port", self.electionPort());
    return new Server(Integer.toString(id), self.host(), self.clientPort(), ports);
  }

  private record Server(String name, String host, int port, Map<String, Integer> ports) {}

  /**
   * A leader that stops closes its followers' connections, and ZooKeeper logs each as an
   * unexpected error with a stack trace: a stop asked for is not an error.
   */
  private static void quietWhileStopping() {
    if (org.slf4j.LoggerFactory.getLogger("org.apache.zookeeper") instanceof ch.qos.logback.classic.Logger zk) {
      zk.setLevel(ch.qos.logback.classic.Level.OFF);
    }
  }

  private void stopOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.countDown();
      try {
        stopped.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "trellis-zookeeper-stop"));
  }
}
