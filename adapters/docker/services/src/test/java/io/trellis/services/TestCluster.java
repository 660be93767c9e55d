package io.trellis.services;

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
import java.util.Map;
import org.apache.curator.test.TestingServer;

/**
 * A real cluster on loopback for the services tests: an embedded ZooKeeper, a master, agents
 * (each its own hostname, 127.0.0.x) running real processes, and the services framework with
 * its API on a free port.
 */
final class TestCluster implements AutoCloseable {
  /** Held so the JUL logger (weakly referenced) keeps its level. */
  private static final java.util.logging.Logger JERSEY = java.util.logging.Logger.getLogger("org.glassfish");

  static {
    JERSEY.setLevel(java.util.logging.Level.SEVERE);
  }

  final Path dir;
  final TestingServer zk;
  final String zkSpec;
  final MasterProcess master;
  final List<MasterProcess> standbys = new ArrayList<>();
  final MasterConfig masterConfig;
  final List<AgentProcess> agents = new ArrayList<>();
  private final Map<AgentProcess, AgentConfig> configs = new java.util.HashMap<>();
  final MasterDetector detector;
  final OperatorClient operator;
  ServicesProcess services;
  V2 api;

  TestCluster() throws Exception {
    this(Duration.ofSeconds(8));
  }

  /** @param agentRemoval how long an unreachable agent (silent for 4 s) stays before it is removed */
  TestCluster(Duration agentRemoval) throws Exception {
    dir = Files.createTempDirectory("trellis-services-test-");
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    masterConfig = MasterConfig.defaults().withPort(0).withHeartbeatInterval(Duration.ofSeconds(1))
        .withAgentTimeouts(Duration.ofSeconds(4), agentRemoval);
    master = MasterProcess.withZooKeeper(masterConfig, zkSpec);
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
  }

  /** Starts an agent advertising {@code host} (an address of 127.0.0.0/8) as its hostname. */
  AgentProcess agent(String host, String resources, String attributes) throws Exception {
    Path work = dir.resolve("agent-" + agents.size());
    AgentConfig config = new AgentConfig(zkSpec, host, 0, work, resources, attributes,
        Duration.ofSeconds(2), Duration.ofSeconds(1), Map.of());
    return start(config);
  }

  /** Starts an agent again on the work directory of {@code old} (stopped): it recovers its tasks. */
  AgentProcess restart(AgentProcess old) throws Exception {
    AgentConfig config = configs.get(old);
    agents.remove(old);
    return start(config);
  }

  private AgentProcess start(AgentConfig config) throws Exception {
    String host = config.host();
    AgentProcess a = AgentProcess.start(config, Resources.parse(config.resources()),
        Attributes.parse(config.attributes()), MasterDetectors.from(zkSpec));
    agents.add(a);
    configs.put(a, config);
    Waits.until("agent " + host + " registered", Duration.ofSeconds(30), () -> a.agentId() != null);
    return a;
  }

  /** A second master contending for leadership. */
  MasterProcess standbyMaster() throws Exception {
    MasterProcess m = MasterProcess.withZooKeeper(masterConfig, zkSpec);
    standbys.add(m);
    return m;
  }

  ServicesProcess startServices() throws Exception {
    services = ServicesProcess.start(zkSpec, null, "*", "127.0.0.1", 0);
    api = new V2("http://127.0.0.1:" + services.port());
    Waits.until("services subscribed", Duration.ofSeconds(30), () -> services.framework() != null && services.framework().master() != null);
    return services;
  }

  void stopServices() {
    if (services != null) {
      services.close();
      services = null;
    }
  }

  /** Tasks of every framework the master counts as not ended. */
  int liveTasksInMaster() {
    int n = 0;
    for (var t : operator.state().path("tasks")) {
      String state = t.path("state").asText();
      if (!io.trellis.api.TaskState.valueOf(state).isTerminal()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    stopServices();
    for (AgentProcess a : agents) {
      a.close();
    }
    master.close();
    for (MasterProcess m : standbys) {
      m.close();
    }
    detector.close();
    zk.close();
    killLeftoverTasks(dir);
  }

  /** Task processes outlive their agent (own sessions): end those started from this test's directory. */
  static void killLeftoverTasks(Path dir) {
    String mark = dir.toString();
    ProcessHandle.allProcesses()
        .filter(ph -> ph.info().commandLine().map(c -> c.contains(mark)).orElse(false))
        .forEach(ph -> {
          ph.descendants().forEach(ProcessHandle::destroyForcibly);
          ph.destroyForcibly();
        });
  }
}
