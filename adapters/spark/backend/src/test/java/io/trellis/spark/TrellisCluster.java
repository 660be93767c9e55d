package io.trellis.spark;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;
import org.apache.spark.SparkConf;

/**
 * A real Trellis cluster for one test class: an embedded ZooKeeper, a master and two agents in
 * this JVM. The agents start executors as real processes; every process a test's Spark
 * application starts carries a marker so {@link #close} can end what is left by its id.
 */
final class TrellisCluster implements AutoCloseable {
  final Path dir;
  final String marker;
  private final TestingServer zk;
  private final MasterProcess master;
  final List<AgentProcess> agents = new ArrayList<>();
  final List<Path> agentDirs = new ArrayList<>();
  private final MasterDetector detector;
  final OperatorClient operator;

  TrellisCluster(String agentResources) throws Exception {
    dir = Files.createTempDirectory("trellis-spark-test-");
    marker = "-Dtrellis.test.cluster=" + dir.getFileName();
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
        .withHeartbeatInterval(Duration.ofSeconds(1))
        .withAgentTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(120)), zkSpec);
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
    for (int i = 1; i <= 2; i++) {
      Path work = dir.resolve("agent" + i);
      agentDirs.add(work);
      AgentConfig config = AgentConfig.of(zkSpec, work).withPort(0).withResources(agentResources)
          .withAttributes("rack:r" + i);
      agents.add(AgentProcess.start(config, Resources.parse(agentResources), Attributes.parse("rack:r" + i),
          MasterDetectors.from(zkSpec)));
    }
    await("two agents", s -> count(s.path("agents"), a -> a.path("reachable").asBoolean()) == 2, 60);
  }

  String sparkMaster() {
    return "trellis://" + master.endpoint();
  }

  /** Settings every test application shares: small executors, the loopback driver, the marker. */
  SparkConf conf(String appName) {
    return new SparkConf()
        .setMaster(sparkMaster())
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.executor.memory", "512m")
        .set("spark.executor.memoryOverhead", "128m")
        .set("spark.executor.cores", "1")
        .set("spark.executor.extraJavaOptions", marker)
        .set("spark.ui.enabled", "false")
        .set("spark.trellis.executor.java", javaBin());
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; last state: " + last);
  }

  /** Live (not terminal) tasks whose id starts with the prefix. */
  static List<JsonNode> liveTasks(JsonNode state, String idPrefix) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode t : state.path("tasks")) {
      String st = t.path("state").asText();
      boolean live = st.equals("STAGING") || st.equals("STARTING") || st.equals("RUNNING") || st.equals("KILLING");
      if (live && t.path("id").asText().startsWith(idPrefix)) {
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

  /** Whether no agent has anything in use. */
  static boolean allResourcesFree(JsonNode state) {
    for (JsonNode a : state.path("agents")) {
      String used = a.path("used").asText("");
      if (!used.isBlank() && Resources.parse(used).scalar(Resources.CPUS) > 0) {
        return false;
      }
    }
    return true;
  }

  Path sandbox(String frameworkId, String taskId) {
    for (Path agent : agentDirs) {
      Path p = agent.resolve("tasks").resolve(frameworkId).resolve(taskId).resolve("sandbox");
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new AssertionError("no sandbox of task " + taskId + " of framework " + frameworkId);
  }

  /** Processes this cluster's applications started (they carry the marker). */
  List<ProcessHandle> markedProcesses() {
    return ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(marker)).toList();
  }

  /** The whole command line from /proc (ProcessHandle.Info cuts long ones short). */
  static String commandLine(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (java.io.IOException | RuntimeException gone) {
      return "";
    }
  }

  /** Stops an agent without ending its tasks, as when its machine drops off the network. */
  void loseAgent(String agentId) {
    for (int i = 0; i < agents.size(); i++) {
      if (agents.get(i) != null && agentId.equals(agents.get(i).agentId())) {
        agents.get(i).close();
        agents.set(i, null);
        return;
      }
    }
    throw new AssertionError("no running agent " + agentId);
  }

  @Override
  public void close() throws java.io.IOException {
    for (AgentProcess a : agents) {
      if (a != null) {
        a.close();
      }
    }
    master.close();
    detector.close();
    zk.close();
    for (ProcessHandle p : markedProcesses()) {
      p.destroyForcibly();
    }
  }
}
