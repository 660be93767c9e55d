package io.trellis.cli;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trellis local}: an embedded ZooKeeper, a master and an agent in one JVM, for one
 * machine. Prints where its data lives and every address it serves.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Run a single-machine cluster: embedded ZooKeeper, a master and an agent in one process.")
final class LocalCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "5050", description = "Master HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--agent-port", defaultValue = "5051", description = "Agent HTTP port (default: ${DEFAULT-VALUE})")
  int agentPort;

  @Option(names = "--zk-port", defaultValue = "2181", description = "Embedded ZooKeeper port (default: ${DEFAULT-VALUE})")
  int zkPort;

  @Option(names = "--data-dir", description = "Where ZooKeeper data and agent sandboxes go (default: a new directory under /tmp)")
  Path dataDir;

  @Option(names = "--resources", defaultValue = "", description = "Agent resource overrides, e.g. 'cpus:4;mem:4096'")
  String resources;

  @picocli.CommandLine.Mixin
  DockerOptions docker = new DockerOptions();

  @Override
  public Integer call() throws Exception {
    Trellis.serverLogging();
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("trellis-local-");
    Files.createDirectories(dir);
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), zkPort)) {
      String zkSpec = "zk://" + zk.connectString() + "/trellis";
      MasterConfig config = MasterConfig.defaults().withPort(port);
      try (MasterProcess master = Processes.master(config, zkSpec);
          AgentProcess agent = Processes.agent(new AgentConfig(zkSpec, "127.0.0.1", agentPort,
              dir.resolve("agent"), resources, "", Duration.ofSeconds(3), Duration.ofSeconds(2), docker.settings()))) {
        List<LocalComponent.Running> hosted = startHosted(zkSpec, master.endpoint(), dir);
        System.out.println();
        System.out.println("Trellis local cluster is up.");
        System.out.println("  data directory   " + dir);
        System.out.println("  ZooKeeper        " + zk.connectString() + "   (" + zkSpec + ")");
        System.out.println("  master           http://" + master.endpoint() + "   scheduler API /api/v1/scheduler");
        System.out.println("  state            http://" + master.endpoint() + "/api/v1/state");
        System.out.println("  metrics          http://" + master.endpoint() + "/metrics");
        System.out.println("  agent            http://" + agent.endpoint() + "   sandboxes under " + dir.resolve("agent"));
        for (LocalComponent.Running running : hosted) {
          for (String[] line : running.addresses()) {
            System.out.printf("  %-16s %s%n", line[0], line[1]);
          }
        }
        System.out.println();
        System.out.println("Try, in another shell:  bin/trellis run -- echo hello");
        System.out.println("Stop with Ctrl-C.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping ...")));
        try {
          new CountDownLatch(1).await();
        } finally {
          for (int i = hosted.size() - 1; i >= 0; i--) {
            hosted.get(i).close();
          }
        }
      }
    }
    return 0;
  }

  /** Starts what the plugins on the class path host in {@code trellis local}, in their order. */
  static List<LocalComponent.Running> startHosted(String zkSpec, String master, Path dir) throws Exception {
    List<LocalComponent> components = new ArrayList<>();
    for (TrellisPlugin plugin : Trellis.plugins()) {
      plugin.local().ifPresent(components::add);
    }
    components.sort(Comparator.comparingInt(LocalComponent::order));
    List<LocalComponent.Running> started = new ArrayList<>();
    for (LocalComponent c : components) {
      Path data = dir.resolve(c.name());
      Files.createDirectories(data);
      started.add(c.start(new LocalContext(zkSpec, master, data, "127.0.0.1")));
    }
    return started;
  }
}
