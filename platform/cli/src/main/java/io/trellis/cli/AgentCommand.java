package io.trellis.cli;

import io.trellis.agent.AgentConfig;
import io.trellis.security.auth.ServerSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis agent}: runs an agent until interrupted. */
@Command(name = "agent", mixinStandardHelpOptions = true, description = "Run an agent on this machine.")
final class AgentCommand implements Callable<Integer> {
  @Option(names = {"--master", "--zk"}, description = "host:port or zk://host:port/path (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = Trellis.defaultMaster();

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "5051", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--work-dir", defaultValue = "/tmp/trellis/agent", description = "Sandboxes and checkpoints (default: ${DEFAULT-VALUE})")
  Path workDir;

  @Option(names = "--resources", defaultValue = "", description = "Overrides of detected resources, e.g. 'cpus:2;mem:2048;ports:[31000-31100]'")
  String resources;

  @Option(names = "--attributes", defaultValue = "", description = "Attributes, e.g. 'rack:r1;zone:west'")
  String attributes;

  @Option(names = "--zk-session-timeout", defaultValue = "10", description = "ZooKeeper session timeout in seconds when following the leader through zk:// (default: ${DEFAULT-VALUE})")
  long zkSessionTimeout;

  @Option(names = "--heartbeat-interval", defaultValue = "1", description = "Seconds between heartbeats to the master; keep it well under the master's --agent-timeout (default: ${DEFAULT-VALUE})")
  long heartbeatInterval;

  @Option(names = "--config", description = "A properties file of option defaults (see conf/)")
  java.nio.file.Path config;

  @picocli.CommandLine.Mixin
  DockerOptions docker = new DockerOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.AuthOptions auth = new io.trellis.plugin.AuthOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.TransportOptions transport = new io.trellis.plugin.TransportOptions();

  @picocli.CommandLine.Mixin
  ClusterKeyOption clusterKey = new ClusterKeyOption();

  @Option(names = "--task-user", paramLabel = "USER",
      description = "The Unix user tasks run as unless their command names one (default: nobody when the agent"
          + " runs as root; an agent of another user runs tasks as itself)")
  String taskUser;

  @Override
  public Integer call() throws Exception {
    Trellis.serverLogging();
    if (zkSessionTimeout < 1) {
      System.err.println("trellis agent: --zk-session-timeout must be at least 1 second, got " + zkSessionTimeout);
      return 2;
    }
    if (heartbeatInterval < 1 || heartbeatInterval > 600) {
      System.err.println("trellis agent: --heartbeat-interval " + heartbeatInterval
          + " is outside 1 to 600 seconds; keep it well under the master's --agent-timeout");
      return 2;
    }
    try {
      clusterKey.key("trellis agent", auth.insecure());
    } catch (IllegalArgumentException e) {
      System.err.println("trellis agent: " + e.getMessage());
      return 2;
    }
    java.util.Map<String, String> settings = new java.util.HashMap<>(docker.settings());
    if (clusterKey.file != null) {
      settings.put(AgentConfig.CLUSTER_KEY_FILE, clusterKey.file.toString());
    }
    String user = TaskUsers.choose(taskUser);
    if (user != null) {
      settings.put(AgentConfig.TASK_USER, user);
    }
    settings.put(AgentConfig.ZK_SESSION_TIMEOUT, Long.toString(zkSessionTimeout));
    settings.put(AgentConfig.HEARTBEAT_INTERVAL, Long.toString(heartbeatInterval));
    AgentConfig config = new AgentConfig(master, host, port, workDir, resources, attributes,
        Duration.ofSeconds(3), Duration.ofSeconds(2), settings);
    io.trellis.security.TransportSecurity security;
    try {
      security = transport.forPeers();
    } catch (IllegalArgumentException e) {
      System.err.println("trellis agent: " + e.getMessage());
      return 2;
    }
    Processes.warnIfPlain("agent", security);
    ServerSecurity callers = auth.serverSecurity("agent", io.trellis.plugin.AuthOptions.defaultDir());
    try (AutoCloseable agent = startAgent(config,
        auth.calling(security, "agent", io.trellis.plugin.AuthOptions.defaultDir()), callers)) {
      if (agent == null) {
        return 2;
      }
      System.out.println("agent listening on " + security.scheme() + "://" + host + ":" + port + ", registering with " + master);
      new CountDownLatch(1).await();
    }
    return 0;
  }

  /** The agent, or null (after saying why) when its settings do not let it start. */
  private static AutoCloseable startAgent(AgentConfig config, io.trellis.security.TransportSecurity transport,
      ServerSecurity callers) throws Exception {
    try {
      return Processes.agent(config, transport, callers);
    } catch (IllegalArgumentException e) {
      System.err.println("trellis agent: " + e.getMessage());
      return null;
    }
  }
}
