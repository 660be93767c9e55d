package io.trellis.hadoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.Json;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;

/**
 * A real cluster for one test class, used as a user does: an embedded ZooKeeper, a master and two
 * agents (on 127.0.0.1, with their own port ranges) in this JVM, and a {@code trellis} command (a
 * script running this module's classes) that starts the ResourceManager and submits jobs with the
 * adapter's {@code target/lib}. Every JVM started carries the cluster's directory in its command
 * line, so {@link #close} ends what is left, by process id.
 */
public final class YarnCluster implements AutoCloseable {
  /** Held so the level stays: the HTTP servers' container logs every listener it starts and stops. */
  private static final java.util.logging.Logger GRIZZLY = java.util.logging.Logger.getLogger("org.glassfish");

  static {
    GRIZZLY.setLevel(java.util.logging.Level.SEVERE);
    // A test ZooKeeper need not fsync: on a busy disk a sync takes seconds and expires sessions.
    System.setProperty("zookeeper.forceSync", "no");
  }

  static final String AGENT_RESOURCES = "cpus:4;mem:8192;disk:10000";

  final Path dir;
  final String marker;
  final Path trellis;
  final OperatorClient operator;
  final int[] rmPorts = new int[6];
  private final TestingServer zk;
  private final MasterProcess master;
  private final List<AgentProcess> agents = new ArrayList<>();
  private final MasterDetector detector;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process resourceManager;

  YarnCluster() throws Exception {
    dir = Files.createTempDirectory("trellis-hadoop-e2e-");
    // NodeManagers run as nobody, as on an agent started by `trellis agent` as root: they must
    // reach their sandboxes, and write only there.
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    marker = "-Dtrellis.test.cluster=" + dir.getFileName();
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
    for (int i = 0; i < 2; i++) {
      int first = freePortRange();
      String resources = AGENT_RESOURCES + ";ports:[" + first + "-" + (first + 39) + "]";
      AgentConfig config = AgentConfig.of(zkSpec, dir.resolve("agent" + i)).withPort(0).withResources(resources)
          .withSettings(java.util.Map.of(AgentConfig.TASK_USER, "nobody"));
      agents.add(AgentProcess.start(config, Resources.parse(resources), Attributes.NONE, MasterDetectors.from(zkSpec)));
    }
    for (int i = 0; i < rmPorts.length; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        rmPorts[i] = s.getLocalPort();
      }
    }
    trellis = dir.resolve("trellis");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(trellis, "#!/bin/sh\nexport TRELLIS_MASTER='" + master.endpoint() + "'\n"
        + "export TRELLIS_HADOOP='127.0.0.1:" + rmPorts[5] + "'\n"
        + "export TRELLIS_HADOOP_JAVA_OPTS='" + marker + "'\n"
        + "exec '" + java + "' -Xmx128m " + marker + " -cp '" + System.getProperty("java.class.path")
        + "' io.trellis.cli.Trellis \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(trellis, PosixFilePermissions.fromString("rwxr-xr-x"));
    await("two agents registered", s -> count(s.path("agents"), a -> a.path("reachable").asBoolean()) == 2, 60);
  }

  /** Ports in steps of 1000 from 20000 that nobody listens on, 40 of them for an agent. */
  private static int freePortRange() throws IOException {
    for (int base = 20000 + (int) (ProcessHandle.current().pid() % 20) * 1000; base < 60000; base += 1000) {
      boolean free = true;
      for (int p = base; p < base + 40 && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException used) {
          free = false;
        }
      }
      if (free && !taken.contains(base)) {
        taken.add(base);
        return base;
      }
    }
    throw new IOException("no free port range");
  }

  private static final List<Integer> taken = new ArrayList<>();

  /** {@code trellis hadoop resourcemanager} with this cluster's ports and work directory, in the background. */
  void startResourceManager(String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(trellis.toString(), "hadoop", "resourcemanager",
        "--rm-port", "" + rmPorts[0], "--scheduler-port", "" + rmPorts[1], "--tracker-port", "" + rmPorts[2],
        "--admin-port", "" + rmPorts[3], "--web-port", "" + rmPorts[4], "--port", "" + rmPorts[5],
        "--work-dir", dir.resolve("rm").toString(), "--nm-java-options", marker));
    cmd.addAll(List.of(options));
    resourceManager = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rm.log").toFile())).start();
  }

  /** Waits for the control API to answer. */
  void awaitResourceManager() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!resourceManager.isAlive()) {
        throw new AssertionError("the ResourceManager exited: " + Files.readString(dir.resolve("rm.log")));
      }
      try {
        if (control("/v1/status").path("frameworkId").isTextual()) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("the ResourceManager did not start: " + Files.readString(dir.resolve("rm.log")));
  }

  /** Kills the ResourceManager's JVM at once, as a crash would (its NodeManagers stay). */
  void crashResourceManager() throws InterruptedException {
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(marker)
        && commandLine(p).contains("io.trellis.hadoop.ResourceManagerMain")).forEach(ProcessHandle::destroyForcibly);
    resourceManager.waitFor(30, TimeUnit.SECONDS);
  }

  /** Runs {@code trellis ...}; returns the exit code and the output. */
  Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(trellis.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return new Result(p.exitValue(), out);
  }

  record Result(int code, String output) {}

  /** A background {@code trellis ...} (a job), its output into a file. */
  Process start(Path output, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(trellis.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  /** A call to the control API with the token the ResourceManager wrote for this user. */
  JsonNode control(String path) throws IOException, InterruptedException {
    String token = io.trellis.security.ControlToken.find(rmPorts[5]);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rmPorts[5] + path))
        .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  /** The status code of a control API call with {@code authorization} (or none). */
  int controlStatus(String method, String path, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rmPorts[5] + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.ofString("{\"instances\": 1}"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** The ResourceManager's {@code /ws/v1/cluster/metrics}. */
  JsonNode yarnMetrics() throws IOException, InterruptedException {
    JsonNode m = get("http://127.0.0.1:" + rmPorts[4] + "/ws/v1/cluster/metrics");
    return m.has("clusterMetrics") ? m.path("clusterMetrics") : m;
  }

  JsonNode yarn(String path) throws IOException, InterruptedException {
    return get("http://127.0.0.1:" + rmPorts[4] + path);
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    return Json.mapper().readTree(r.body());
  }

  JsonNode state() {
    return operator.state();
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
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; last state: " + last);
  }

  /** Polls YARN's metrics until the condition holds. */
  JsonNode awaitYarn(String what, Predicate<JsonNode> condition, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = yarnMetrics();
        if (condition.test(last)) {
          return last;
        }
      } catch (IOException notYet) {
        // Restarting.
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; YARN metrics: " + last
        + "; status: " + control("/v1/status"));
  }

  /** Live NodeManager tasks (role hadoop) in the master's state. */
  static List<JsonNode> nodeManagerTasks(JsonNode state) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : state.path("tasks")) {
      String st = t.path("state").asText();
      boolean live = st.equals("STAGING") || st.equals("STARTING") || st.equals("RUNNING") || st.equals("KILLING");
      if (live && t.path("labels").has("hadoop-yarn-node-id")) {
        out.add(t);
      }
    }
    return out;
  }

  static int count(JsonNode array, Predicate<JsonNode> p) {
    int n = 0;
    for (JsonNode x : array) {
      n += p.test(x) ? 1 : 0;
    }
    return n;
  }

  /** The examples' jar, built by the reactor before this module's tests. */
  static Path examplesJar() throws IOException {
    Path target = Path.of("..", "examples", "target").toAbsolutePath().normalize();
    try (var files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("trellis-hadoop-examples-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no examples jar in " + target + ": package the examples first"));
    }
  }

  /** Writes {@code files} input files of {@code lines} lines of words; returns the expected counts. */
  public static java.util.Map<String, Long> words(Path in, int files, int lines) throws IOException {
    Files.createDirectories(in);
    String[] words = {"apple", "banana", "cherry", "delta", "echo", "fox", "golf", "hotel"};
    java.util.Map<String, Long> expected = new java.util.TreeMap<>();
    java.util.Random random = new java.util.Random(files * 31L + lines);
    for (int f = 0; f < files; f++) {
      StringBuilder sb = new StringBuilder();
      for (int l = 0; l < lines; l++) {
        for (int w = 0; w < 8; w++) {
          String word = words[random.nextInt(words.length)];
          expected.merge(word, 1L, Long::sum);
          sb.append(w == 0 ? "" : " ").append(word);
        }
        sb.append('\n');
      }
      Files.writeString(in.resolve("part" + f + ".txt"), sb);
    }
    return expected;
  }

  /** The counts the job wrote (every part file). */
  public static java.util.Map<String, Long> output(Path out) throws IOException {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    try (var files = Files.list(out)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String[] kv = line.split("\t");
          counts.put(kv[0], Long.parseLong(kv[1]));
        }
      }
    }
    return counts;
  }

  /** Processes this cluster started (their command lines name its directory). */
  List<ProcessHandle> markedProcesses() {
    String name = dir.getFileName().toString();
    return ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(name)).toList();
  }

  static String commandLine(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }

  @Override
  public void close() throws Exception {
    if (resourceManager != null) {
      resourceManager.destroy();
      resourceManager.waitFor(20, TimeUnit.SECONDS);
    }
    for (AgentProcess a : agents) {
      a.close();
    }
    master.close();
    detector.close();
    zk.close();
    for (ProcessHandle p : markedProcesses()) {
      p.destroyForcibly();
    }
  }
}
