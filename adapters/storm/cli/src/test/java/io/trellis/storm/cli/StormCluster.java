package io.trellis.storm.cli;

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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;

/**
 * A real cluster for one test class, used the way a user does: an embedded ZooKeeper, a master
 * and two agents in this JVM, a {@code trellis} command (a script running this module's classes)
 * and, started through it, Storm's Nimbus in its own JVM with the adapter's {@code target/lib}.
 * Every JVM the tests start carries a marker so {@link #close} ends what is left, by process id.
 */
public final class StormCluster implements AutoCloseable {
  static {
    // A test ZooKeeper need not fsync: on a busy disk a sync takes seconds and expires sessions.
    System.setProperty("zookeeper.forceSync", "no");
    java.util.logging.Logger.getLogger("org.glassfish").setLevel(java.util.logging.Level.WARNING);
  }

  final Path dir;
  final String zkSpec;
  final Path trellis;
  final String marker;
  final String nimbus;
  private final TestingServer zk;
  private final MasterProcess master;
  private final List<AgentProcess> agents = new ArrayList<>();
  private final MasterDetector detector;
  final OperatorClient operator;
  private Process nimbusProcess;

  /** @param agentResources cpus and memory of each agent; each gets its own free port range */
  StormCluster(String agentResources) throws Exception {
    this(agentResources, 2, MasterConfig.defaults().agentTimeout());
  }

  /**
   * @param inProcessAgents agents in this JVM (more can run as processes: {@link #startAgentProcess})
   * @param agentTimeout how long the master waits for an agent's heartbeat before its tasks are unreachable
   */
  StormCluster(String agentResources, int inProcessAgents, java.time.Duration agentTimeout) throws Exception {
    dir = Files.createTempDirectory("trellis-storm-e2e-");
    // Agents started as `trellis agent` run supervisors as nobody, who must reach their sandboxes.
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    marker = "-Dtrellis.test.cluster=" + dir.getFileName();
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
        .withHeartbeatInterval(java.time.Duration.ofSeconds(1))
        .withAgentTimeouts(agentTimeout, MasterConfig.defaults().agentRemovalTimeout()), zkSpec);
    for (int i = 1; i <= inProcessAgents; i++) {
      startAgent(agentResources);
    }
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
    nimbus = "127.0.0.1:" + freeRange(1);
    trellis = dir.resolve("trellis");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(trellis, "#!/bin/sh\nexec '" + java + "' -Xmx128m " + marker + " -cp '"
        + System.getProperty("java.class.path") + "' io.trellis.cli.Trellis \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(trellis, PosixFilePermissions.fromString("rwxr-xr-x"));
    awaitAgents(inProcessAgents);
  }

  /** Starts one more agent in this JVM with its own free port range. */
  void startAgent(String resources) throws Exception {
    long base = freeRange(40);
    String withPorts = resources + ";ports:[" + base + "-" + (base + 39) + "]";
    AgentConfig config = AgentConfig.of(zkSpec, dir.resolve("agent" + (agents.size() + 1))).withPort(0)
        .withResources(withPorts);
    agents.add(AgentProcess.start(config, Resources.parse(withPorts), Attributes.NONE, MasterDetectors.from(zkSpec)));
  }

  /** Starts an agent as its own process ({@code trellis agent}), as on another machine; returns the process. */
  Process startAgentProcess(String name, String resources) throws Exception {
    long base = freeRange(40);
    ProcessBuilder pb = new ProcessBuilder(trellis.toString(), "agent", "--master", zkSpec, "--port",
        Long.toString(freeRange(1)), "--work-dir", dir.resolve(name).toString(), "--resources",
        resources + ";ports:[" + base + "-" + (base + 39) + "]", "--insecure")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    return pb.start();
  }

  /** Waits until this many agents are reachable. */
  void awaitAgents(int n) throws InterruptedException {
    await(n + " agents registered", s -> count(s.path("agents"), a -> a.path("reachable").asBoolean()) == n, 60);
  }

  /** Starts {@code trellis storm nimbus} and waits until its framework has subscribed. */
  void startNimbus() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(trellis.toString(), "storm", "nimbus", "--zk", zkSpec,
        "--port", nimbus.substring(nimbus.indexOf(':') + 1), "--local-dir", dir.resolve("nimbus").toString(),
        "--idle-grace-seconds", "5", "--java-options", marker));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nimbus.log").toFile()));
    pb.environment().remove("TRELLIS_STORM_LIB");
    nimbusProcess = pb.start();
    await("the Storm framework subscribed", s -> count(s.path("frameworks"),
        f -> f.path("name").asText().equals("storm") && f.path("connected").asBoolean()) == 1, 90);
    // Nimbus answers once it leads; the list command retries until then.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Result r;
    do {
      r = run(List.of("storm", "list", "--nimbus", nimbus), 60);
    } while (r.status() != 0 && System.nanoTime() < deadline);
    if (r.status() != 0) {
      throw new AssertionError("Nimbus does not answer: " + r.output() + "\nNimbus log:\n" + nimbusLog());
    }
  }

  /** Stops Nimbus as Ctrl-C does (its JVM and the framework in it end; supervisors stay). */
  void stopNimbus() throws Exception {
    nimbusProcess.descendants().forEach(ProcessHandle::destroy);
    nimbusProcess.destroy();
    if (!nimbusProcess.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("trellis storm nimbus did not stop within 60 s");
    }
    await("the Storm framework disconnected", s -> count(s.path("frameworks"),
        f -> f.path("name").asText().equals("storm") && f.path("connected").asBoolean()) == 0, 60);
  }

  String nimbusLog() throws IOException {
    Path log = dir.resolve("nimbus.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** The examples' jar, built by the reactor before this module's tests. */
  static Path examplesJar() throws IOException {
    Path target = Path.of("..", "examples", "target").toAbsolutePath().normalize();
    try (var files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("trellis-storm-examples-.*\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no examples jar in " + target + ": package the examples first"));
    }
  }

  /** Runs {@code trellis ARGS} to its end; returns its exit status and its output. */
  Result run(List<String> args, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile(dir, "trellis-", ".out");
    List<String> cmd = new ArrayList<>(List.of(trellis.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().remove("TRELLIS_STORM_LIB");
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

  /** Submits the word count; returns its output directory. */
  Path submitWordCount(String name, long sentences, int workers) throws Exception {
    Path out = dir.resolve(name);
    // Workers write their counts here, as whichever user their agent runs tasks as (nobody for an
    // agent started as `trellis agent`, root for the agents in this JVM).
    Files.createDirectories(out);
    Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Result r = run(List.of("storm", "jar", "--nimbus", nimbus, examplesJar().toString(),
        "io.trellis.storm.examples.WordCount", name, out.toString(), Long.toString(sentences),
        Integer.toString(workers), "256"), 300);
    if (r.status() != 0) {
      throw new AssertionError("trellis storm jar failed (" + r.status() + "): " + r.output() + "\nNimbus log:\n"
          + nimbusLog());
    }
    return out;
  }

  /** The word count's counts so far, summed over its counting tasks' files. */
  public static Map<String, Long> counts(Path out) throws IOException {
    Map<String, Long> sum = new TreeMap<>();
    if (!Files.isDirectory(out)) {
      return sum;
    }
    try (var files = Files.list(out)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches("counts-\\d+\\.txt")).toList()) {
        for (String line : Files.readAllLines(f)) {
          String[] kv = line.split(" ");
          if (kv.length == 2) {
            sum.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
          }
        }
      }
    }
    return sum;
  }

  /** Polls the word count's counts until the condition holds; fails with the last counts and Nimbus' log. */
  void awaitCounts(Path out, Predicate<Map<String, Long>> done, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<String, Long> last = Map.of();
    while (System.nanoTime() < deadline) {
      last = counts(out);
      if (done.test(last)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("counts after " + seconds + " s: " + last + "\nNimbus log:\n" + nimbusLog());
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

  /** Live (not terminal) tasks of the Storm framework. */
  static List<JsonNode> liveSupervisors(JsonNode state) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : state.path("tasks")) {
      String st = t.path("state").asText();
      boolean live = st.equals("STAGING") || st.equals("STARTING") || st.equals("RUNNING") || st.equals("KILLING");
      if (live && t.path("id").asText().startsWith("storm-supervisor-")) {
        out.add(t);
      }
    }
    return out;
  }

  /** Whether no agent has anything in use. */
  static boolean allResourcesFree(JsonNode state) {
    for (JsonNode a : state.path("agents")) {
      String used = a.path("used").asText("");
      if (!used.isBlank() && !Resources.parse(used).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  static int count(JsonNode array, Predicate<JsonNode> p) {
    int n = 0;
    for (JsonNode x : array) {
      n += p.test(x) ? 1 : 0;
    }
    return n;
  }

  /** A file of a task's sandbox through its agent's {@code /files/read}; fails on any status but 200. */
  JsonNode readSandboxFile(JsonNode task, String file) throws Exception {
    String endpoint = null;
    for (JsonNode a : state().path("agents")) {
      if (a.path("id").asText().equals(task.path("agentId").asText())) {
        endpoint = a.path("endpoint").asText();
      }
    }
    String q = "framework=" + enc(task.path("frameworkId").asText()) + "&task=" + enc(task.path("id").asText())
        + "&file=" + enc(file);
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + endpoint + "/files/read?" + q)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("GET /files/read?" + q + " answered " + r.statusCode() + ": " + r.body());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Kills a supervisor task's processes (the supervisor and its workers) as a crash would. */
  void crashSupervisor(String taskId) {
    List<ProcessHandle> procs = ProcessHandle.allProcesses()
        .filter(p -> cwd(p).contains("/" + taskId + "/sandbox")).toList();
    if (procs.isEmpty()) {
      throw new AssertionError("no process of supervisor task " + taskId);
    }
    procs.forEach(ProcessHandle::destroyForcibly);
  }

  static String cwd(ProcessHandle p) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString();
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }

  /** A free range of local ports, starting at a random place so parallel runs rarely meet. */
  public static long freeRange(int size) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 30000 - size);
      boolean free = true;
      for (int p = base; p < base + size && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException inUse) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free range of " + size + " ports");
  }

  @Override
  public void close() throws Exception {
    if (nimbusProcess != null) {
      nimbusProcess.descendants().forEach(ProcessHandle::destroyForcibly);
      nimbusProcess.destroyForcibly();
    }
    for (AgentProcess a : agents) {
      a.close();
    }
    master.close();
    detector.close();
    zk.close();
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(marker)).forEach(ProcessHandle::destroyForcibly);
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
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
