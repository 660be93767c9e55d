package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.LocalJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trellis zookeeper}: members in their own JVMs form a quorum; bad options fail clearly. */
class ZooKeeperCommandTest {
  @TempDir
  Path dir;

  private final List<Member> members = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Member m : members) {
      m.process.destroyForcibly().waitFor();
    }
  }

  @Test
  void threeMembersServeAWriteAndKeepServingWhenTheLeaderStops() throws Exception {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      entries.add("127.0.0.1:" + LocalJvm.freePort() + ":" + LocalJvm.freePort() + ":" + LocalJvm.freePort());
    }
    String ensemble = String.join(",", entries);
    for (int id = 1; id <= 3; id++) {
      members.add(Member.start(dir, id, ensemble));
    }
    for (Member m : members) {
      m.awaitOutput("ZooKeeper " + m.id + " serving clients on " + m.clientAddress(), Duration.ofSeconds(60));
    }
    String connect = String.join(",", members.stream().map(Member::clientAddress).toList());
    try (CuratorFramework client = client(connect)) {
      client.create().forPath("/written", "before".getBytes(StandardCharsets.UTF_8));
    }

    Member leader = members.stream().filter(m -> m.mode().equals("leader")).findFirst()
        .orElseThrow(() -> new AssertionError("no member says it leads"));
    leader.process.destroy(); // SIGTERM
    assertTrue(leader.process.waitFor(30, TimeUnit.SECONDS), "the member did not stop on SIGTERM");
    assertFalse(leader.output().contains("Exception"), leader.output());

    String survivors = String.join(",", members.stream().filter(m -> m != leader).map(Member::clientAddress).toList());
    try (CuratorFramework client = client(survivors)) {
      client.sync().forPath("/written");
      assertArrayEquals("before".getBytes(StandardCharsets.UTF_8), client.getData().forPath("/written"));
      client.create().forPath("/after", "two of three".getBytes(StandardCharsets.UTF_8));
      assertArrayEquals("two of three".getBytes(StandardCharsets.UTF_8), client.getData().forPath("/after"));
    }
    assertTrue(members.stream().filter(m -> m != leader).anyMatch(m -> m.mode().equals("leader")),
        "a survivor leads");
  }

  @Test
  void aBadEnsembleIsRefusedNamingTheEntry() {
    Result r = run("zookeeper", "--data-dir", dir.toString(), "--id", "2",
        "--ensemble", "127.0.0.1:2888:3888:2181,zk2.example.com:2888:3888");

    assertEquals(2, r.code());
    assertEquals("trellis zookeeper: --ensemble member 2 'zk2.example.com:2888:3888' is not"
        + " HOST:PEER:ELECTION:CLIENT (e.g. zk1.example.com:2888:3888:2181)\n", r.err());
  }

  @Test
  void badOptionsAreRefusedWithWhatToDo() {
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--id", "4",
        "--ensemble", "a:1:2:3,b:1:2:3,c:1:2:3"), "--id 4 is not a member of the ensemble: give 1 to 3");
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--ensemble", "a:1:2:3"),
        "--ensemble needs --id N");
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--id", "1", "--ensemble", "a:1:2:99999"),
        "client port '99999' is not a port");
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--id", "1", "--ensemble", "a:1:2:3,a:3:4:5"),
        "uses a:3 twice");
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--id", "1", "--port", "2181",
        "--ensemble", "a:1:2:3"), "come from its own --ensemble entry");
    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--port", "70000"), "--port 70000 is not a port");
  }

  @Test
  void aDataDirectoryOfAnotherMemberIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data").resolve("myid"), "1\n");
    String ensemble = "127.0.0.1:" + LocalJvm.freePort() + ":" + LocalJvm.freePort() + ":" + LocalJvm.freePort()
        + ",127.0.0.1:" + LocalJvm.freePort() + ":" + LocalJvm.freePort() + ":" + LocalJvm.freePort();

    assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--id", "2", "--ensemble", ensemble),
        "belongs to ZooKeeper member 1, not 2");
  }

  @Test
  void aTakenClientPortIsRefused() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertRefused(run("zookeeper", "--data-dir", dir.toString(), "--port", Integer.toString(taken.getLocalPort())),
          "port " + taken.getLocalPort() + " on 127.0.0.1 for the client port (--port) is already in use");
    }
  }

  private static void assertRefused(Result r, String says) {
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("trellis zookeeper: ") && r.err().contains(says), r.err());
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
  }

  private static CuratorFramework client(String connect) {
    CuratorFramework client = CuratorFrameworkFactory.builder().connectString(connect)
        .sessionTimeoutMs(10_000).connectionTimeoutMs(5_000).retryPolicy(new RetryForever(200)).build();
    client.start();
    return client;
  }

  /** Runs the command in this JVM with stderr captured. */
  private static Result run(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Trellis.withErrorMessages(new CommandLine(new Trellis())).execute(args);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }

  private record Result(int code, String err) {}

  /** One {@code trellis zookeeper} member in its own JVM. */
  private record Member(int id, String host, int clientPort, Process process, Path log) {
    static Member start(Path dir, int id, String ensemble) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path log = dir.resolve("zk" + id + ".log");
      // The logging of an installed server (the test class path holds a chattier logback-test.xml).
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dlogback.configurationFile=logback.xml", "-cp",
          System.getProperty("java.class.path"), "io.trellis.cli.Trellis", "zookeeper",
          "--data-dir", dir.resolve("zk" + id).toString(), "--id", Integer.toString(id), "--ensemble", ensemble);
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      String[] own = ensemble.split(",")[id - 1].split(":");
      return new Member(id, own[0], Integer.parseInt(own[3]), pb.start(), log);
    }

    String clientAddress() {
      return host + ":" + clientPort;
    }

    String output() throws IOException {
      return Files.readString(log);
    }

    void awaitOutput(String line, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!output().contains(line)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("member " + id + " did not print '" + line + "':\n" + output());
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }

    /** "leader", "follower" or "" from the four-letter command srvr. */
    String mode() {
      try (java.net.Socket s = new java.net.Socket(host, clientPort)) {
        s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int at = answer.indexOf("Mode: ");
        return at < 0 ? "" : answer.substring(at + 6).lines().findFirst().orElse("").trim();
      } catch (IOException e) {
        return "";
      }
    }
  }
}
