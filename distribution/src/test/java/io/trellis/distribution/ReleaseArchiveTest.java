package io.trellis.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as an operator gets it: copied out of the source tree and run with a JDK and the
 * host's basic tools only (no Maven), ZooKeeper, a master and an agent as processes of its
 * {@code bin/trellis}, closed as the operations guide sets them up.
 */
class ReleaseArchiveTest {
  @TempDir
  Path dir;

  private Release release;

  @BeforeEach
  void copyTheRelease() throws IOException {
    release = Release.copy(dir);
  }

  @AfterEach
  void stop() throws InterruptedException, IOException {
    release.stopAll();
  }

  @Test
  void zooKeeperAMasterAndAnAgentFromTheReleaseRunACommandTask() throws Exception {
    assertFalse(release.onPath("mvn"), "Maven must not be on the release's PATH");
    Path work = Files.createDirectories(dir.resolve("work"));
    // Tasks run as nobody (the agent runs as root here): the agent's sandboxes must be reachable.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path agentDir = Files.createDirectories(dir.resolve("agent"));
    Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxr-xr-x"));

    // As docs/operations.md: tokens for every principal in one security folder, and a cluster key.
    Path security = dir.resolve("etc/security");
    for (String principal : List.of("admin", "master", "agent")) {
      Release.Result made = release.run(work, Map.of(), "security", "token", principal, "--security-dir",
          security.toString());
      assertEquals(0, made.status(), made.output());
    }
    Path key = dir.resolve("etc/cluster.key");
    Release.Result keyMade = release.run(work, Map.of(), "security", "cluster-key", key.toString());
    assertEquals(0, keyMade.status(), keyMade.output());

    int zkPort = freePort();
    int masterPort = freePort();
    int agentPort = freePort();
    String zk = "zk://127.0.0.1:" + zkPort + "/trellis";
    Path zkLog = dir.resolve("zookeeper.log");
    Process zooKeeper = release.start(work, zkLog, true, Map.of(), "zookeeper", "--data-dir", dir.resolve("zookeeper").toString(),
        "--port", Integer.toString(zkPort));
    awaitLine(zooKeeper, zkLog, "ZooKeeper standalone serving clients on 127.0.0.1:" + zkPort);

    // The master finds java on PATH, without JAVA_HOME.
    release.javaOnPath();
    Path masterLog = dir.resolve("master.log");
    Process masterProcess = release.start(work, masterLog, false, Map.of(), "master", "--zk", zk, "--port", Integer.toString(masterPort),
        "--cluster-key-file", key.toString(), "--security-dir", security.toString());
    awaitLine(masterProcess, masterLog, "master listening on http://127.0.0.1:" + masterPort);

    Path agentLog = dir.resolve("agent.log");
    Process agent = release.start(work, agentLog, true, Map.of(), "agent", "--master", zk, "--port", Integer.toString(agentPort),
        "--work-dir", agentDir.toString(), "--cluster-key-file", key.toString(),
        "--security-dir", security.toString(), "--resources", "cpus:1;mem:256;disk:100;ports:[31000-31001]");
    awaitLine(agent, agentLog, "agent listening on http://127.0.0.1:" + agentPort);

    Map<String, String> admin = Map.of("TRELLIS_TOKEN_FILE", security.resolve("admin.token").toString());
    String master = "127.0.0.1:" + masterPort;
    Release.Result ran = release.run(work, admin, "run", "--master", master, "--name", "from-the-release",
        "--cpus", "0.1", "--mem", "32", "--", "echo", "hello from the release");
    assertEquals(0, ran.status(), ran.output() + "\nagent:\n" + Files.readString(agentLog));
    assertTrue(ran.output().contains("hello from the release"), ran.output());

    Release.Result state = release.run(work, admin, "state", "--master", master, "--json");
    assertEquals(0, state.status(), state.output());
    JsonNode s = new ObjectMapper().readTree(state.output().substring(state.output().indexOf('{')));
    assertEquals(1, s.path("agents").size(), state.output());
    assertTrue(s.path("agents").get(0).path("reachable").asBoolean(), state.output());
    JsonNode task = null;
    for (JsonNode t : s.path("tasks")) {
      if (t.path("name").asText().equals("from-the-release")) {
        task = t;
      }
    }
    assertTrue(task != null, "no task from-the-release in " + state.output());
    assertEquals("FINISHED", task.path("state").asText(), state.output());

    // Closed: the state without a token is refused, with a line saying what to do.
    Release.Result anonymous = release.run(work, Map.of(), "state", "--master", master);
    assertNotEquals(0, anonymous.status(), anonymous.output());
    assertFalse(anonymous.output().contains("\tat "), anonymous.output());
  }

  @Test
  void theReleaseHoldsItsSettingsUnitsAndAdaptersAndHelpListsEveryCommand() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Release.Result help = release.run(work, Map.of(), "--help");
    assertEquals(0, help.status(), help.output());
    for (String command : List.of("local", "master", "agent", "run", "state", "security", "zookeeper", "services",
        "app", "jobs", "job", "spark", "storm", "hadoop")) {
      assertTrue(help.output().lines().anyMatch(l -> l.trim().startsWith(command + " ")), command + ":\n"
          + help.output());
    }
    for (String file : List.of("conf/master.properties", "conf/agent.properties", "conf/jobs.properties",
        "conf/logback.xml", "conf/examples/hello-sh.json", "docs/operations.md", "systemd/trellis-zookeeper@.service",
        "systemd/trellis-master.service", "systemd/trellis-agent.service", "systemd/trellis-services.service",
        "systemd/trellis-jobs.service", "systemd/env/zookeeper.env", "systemd/env/services.env")) {
      assertTrue(Files.isRegularFile(release.home.resolve(file)), file + " is in the release");
    }
    for (String adapter : List.of("spark", "storm", "hadoop")) {
      try (var jars = Files.list(release.home.resolve("lib").resolve(adapter))) {
        assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("trellis-" + adapter + "-0")),
            "lib/" + adapter + " holds the adapter's jar");
      }
    }

    Release.Result env = release.run(work, Map.of(), "spark", "env", "--master", "127.0.0.1:5050", "--args");
    assertEquals(0, env.status(), env.output());
    assertTrue(env.output().contains(release.home.resolve("lib/spark/backend").toString()), env.output());

    // Without the Spark archive unpacked, the command says where it looked.
    LocalTree.delete(release.home.resolve("lib/spark"));
    Release.Result missing = release.run(work, Map.of(), "spark", "env", "--master", "127.0.0.1:5050");
    assertNotEquals(0, missing.status(), missing.output());
    assertTrue(missing.output().contains(release.home.resolve("lib/spark").toString()), missing.output());
    assertFalse(missing.output().contains("\tat "), missing.output());
  }

  @Test
  void theCommandSaysWhatToDoWithoutJava() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Path log = dir.resolve("no-java.log");
    Process p = release.start(work, log, false, Map.of(), "--help");
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue());
    assertEquals("trellis: no java: install a JDK 17 or later (apt-get install -y openjdk-17-jdk-headless) or set"
        + " JAVA_HOME\n", Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitLine(Process process, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("exited with " + process.exitValue() + " before '" + line + "':\n"
            + Files.readString(log));
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("no '" + line + "' within 90 s:\n" + (Files.exists(log) ? Files.readString(log) : ""));
  }

  /** Deletes a folder of the copy. */
  private static final class LocalTree {
    static void delete(Path root) throws IOException {
      try (var all = Files.walk(root)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
