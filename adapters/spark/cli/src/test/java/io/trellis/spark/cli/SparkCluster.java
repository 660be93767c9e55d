package io.trellis.spark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;

/**
 * A real cluster for one test class, used the way a user does: an embedded ZooKeeper, a master
 * and an agent (with the Docker containerizer) in this JVM, and a {@code trellis} command, a
 * script running this module's classes, that submits the examples' jar with the adapter's
 * {@code target/lib}. Every JVM the tests start carries a marker so {@link #close} ends what is
 * left, by process id.
 */
final class SparkCluster implements AutoCloseable {
  /** Held so the level stays: the HTTP servers' container logs every listener it stops. */
  private static final java.util.logging.Logger GRIZZLY = java.util.logging.Logger.getLogger("org.glassfish");

  static {
    // A test ZooKeeper need not fsync: on a busy disk a sync takes seconds and expires sessions.
    System.setProperty("zookeeper.forceSync", "no");
    GRIZZLY.setLevel(java.util.logging.Level.WARNING);
  }

  final Path dir;
  final String zkSpec;
  final Path trellis;
  final String marker;
  private final TestingServer zk;
  private final MasterProcess master;
  private final AgentProcess agent;
  private final MasterDetector detector;
  final OperatorClient operator;

  SparkCluster(String resources) throws Exception {
    dir = Files.createTempDirectory("trellis-spark-e2e-");
    // Drivers and executors run as nobody, as on an agent started by `trellis agent` as root: they
    // must reach their sandboxes, and write only there.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    marker = "-Dtrellis.test.cluster=" + dir.getFileName();
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    AgentConfig config = AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(resources)
        .withSettings(Map.of(AgentConfig.TASK_USER, "nobody"));
    agent = AgentProcess.start(config, Resources.parse(resources), Attributes.NONE, MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
    trellis = dir.resolve("trellis");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(trellis, "#!/bin/sh\nexec '" + java + "' -Xmx128m " + marker + " -cp '"
        + System.getProperty("java.class.path") + "' io.trellis.cli.Trellis \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(trellis, PosixFilePermissions.fromString("rwxr-xr-x"));
    await("the agent registered", s -> s.path("agents").size() == 1
        && s.path("agents").get(0).path("reachable").asBoolean(), 60);
  }

  String masterUrl() {
    return "trellis://" + master.endpoint();
  }

  /** The examples' jar, built by the reactor before this module's tests. */
  static Path examplesJar() throws IOException {
    Path target = Path.of("..", "examples", "target").toAbsolutePath().normalize();
    try (var files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("trellis-spark-examples-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no examples jar in " + target + ": package the examples first"));
    }
  }

  /** The adapter's class path directory, as {@code trellis spark submit} finds it. */
  static Path sparkLib() {
    return SparkLib.locate();
  }

  /**
   * Options every test application shares: small executors and the marker on their JVMs, with
   * {@code executorOptions} more JVM options for the executors.
   */
  List<String> smallApplication(String... executorOptions) {
    String executorJava = String.join(" ", executorOptions);
    return List.of("--executor-memory", "512m", "--driver-memory", "512m", "--total-executor-cores", "1",
        "--conf", "spark.executor.memoryOverhead=256m", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=" + marker + (executorJava.isEmpty() ? "" : " " + executorJava),
        "--conf", "spark.driver.extraJavaOptions=" + marker);
  }

  /** Runs {@code trellis ARGS} to its end; returns its exit status and its output. */
  Result run(List<String> args, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "trellis-", ".out");
    List<String> cmd = new java.util.ArrayList<>(List.of(trellis.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    Map<String, String> env = pb.environment();
    env.remove("TRELLIS_SPARK_LIB");
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("trellis " + args + " did not end within " + timeoutSeconds + " s; output:\n"
          + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  record Result(int status, String output) {}

  /** One word of a shell command line. */
  static String shellWord(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** Polls the master's state until the condition holds; fails with the last state. */
  JsonNode await(String what, Predicate<JsonNode> condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = operator.state();
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException notYet) {
        // No leader yet.
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; last state: " + last);
  }

  /** The sandboxes of the agent's tasks whose id starts with the prefix. */
  List<Path> sandboxes(String taskIdPrefix) throws IOException {
    Path tasks = dir.resolve("agent").resolve("tasks");
    if (!Files.isDirectory(tasks)) {
      return List.of();
    }
    try (var all = Files.walk(tasks, 2)) {
      return all.filter(p -> p.getNameCount() == tasks.getNameCount() + 2
          && p.getFileName().toString().startsWith(taskIdPrefix)).map(p -> p.resolve("sandbox")).toList();
    }
  }

  @Override
  public void close() throws Exception {
    agent.close();
    master.close();
    detector.close();
    zk.close();
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(marker)).forEach(ProcessHandle::destroyForcibly);
  }

  /** The whole command line from /proc (ProcessHandle.Info cuts long ones short). */
  static String commandLine(ProcessHandle p) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }
}
