package io.trellis.cli;

import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.auth.ServerSecurity;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trellis master}: runs a master until interrupted. */
@Command(name = "master", mixinStandardHelpOptions = true,
    description = "Run a master. With --zk it contends for leadership; without, it leads alone.")
final class MasterCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "5050", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--zk", description = "ZooKeeper ensemble and path, e.g. zk://127.0.0.1:2181/trellis")
  String zk;

  @Option(names = "--agent-timeout", defaultValue = "75", description = "Seconds of agent silence before it is unreachable (default: ${DEFAULT-VALUE}, as Mesos)")
  long agentTimeout;

  @Option(names = "--agent-removal-timeout", defaultValue = "600", description = "Seconds an unreachable agent may stay away before its tasks are lost (default: ${DEFAULT-VALUE})")
  long removalTimeout;

  @Option(names = "--heartbeat-interval", defaultValue = "5", description = "Seconds between HEARTBEAT events to frameworks (default: ${DEFAULT-VALUE})")
  long heartbeatInterval;

  @Option(names = "--launch-timeout", defaultValue = "300", description = "Seconds a task may stay STAGING before it is FAILED (default: ${DEFAULT-VALUE})")
  long launchTimeout;

  @Option(names = "--zk-session-timeout", defaultValue = "10", description = "ZooKeeper session timeout in seconds; a leader unsure of its session for 2/3 of it stops acting (default: ${DEFAULT-VALUE})")
  long zkSessionTimeout;

  @Option(names = "--preemption", defaultValue = "guarantee",
      description = "What preemption honours: guarantee, fair-share or off (default: ${DEFAULT-VALUE})")
  String preemption;

  @Option(names = "--preemption-grace", defaultValue = "30",
      description = "Seconds between SIGTERM and SIGKILL for a preempted task (default: ${DEFAULT-VALUE})")
  long preemptionGrace;

  @Option(names = "--config", description = "A properties file of option defaults (see conf/)")
  java.nio.file.Path config;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.AuthOptions auth = new io.trellis.plugin.AuthOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.TransportOptions transport = new io.trellis.plugin.TransportOptions();

  @picocli.CommandLine.Mixin
  ClusterKeyOption clusterKey = new ClusterKeyOption();

  @Override
  public Integer call() throws Exception {
    Trellis.serverLogging();
    MasterConfig config;
    io.trellis.security.TransportSecurity security;
    io.trellis.security.signing.ClusterKey key;
    try {
      security = transport.forPeers();
      key = clusterKey.key("trellis master", auth.insecure());
      config = MasterConfig.defaults().withHost(host).withPort(port)
          .withAgentTimeouts(Duration.ofSeconds(agentTimeout), Duration.ofSeconds(removalTimeout))
          .withHeartbeatInterval(Duration.ofSeconds(heartbeatInterval))
          .withLaunchTimeout(Duration.ofSeconds(launchTimeout))
          .withZkSessionTimeout(Duration.ofSeconds(zkSessionTimeout))
          .withPreemption(io.trellis.master.PreemptionConfig.DEFAULTS
              .withMode(io.trellis.allocator.preemption.PreemptionMode.parse(preemption))
              .withGrace(Duration.ofSeconds(preemptionGrace)));
    } catch (IllegalArgumentException e) {
      System.err.println("trellis master: " + e.getMessage() + "; fix the option or conf/master.properties");
      return 2;
    }
    Processes.warnIfPlain("master", security);
    ServerSecurity callers = auth.serverSecurity("master", io.trellis.plugin.AuthOptions.defaultDir());
    try (AutoCloseable master = Processes.master(config, zk,
        auth.calling(security, "master", io.trellis.plugin.AuthOptions.defaultDir()), callers, key)) {
      System.out.println("master listening on " + security.scheme() + "://" + host + ":" + port + (zk == null ? "" : " (contending through " + zk + ")"));
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
