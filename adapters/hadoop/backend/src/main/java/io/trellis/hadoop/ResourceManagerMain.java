package io.trellis.hadoop;

import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.hadoop.control.ControlServer;
import io.trellis.hadoop.flex.FlexSettings;
import io.trellis.hadoop.flex.NodeManagers;
import io.trellis.hadoop.framework.FrameworkSettings;
import io.trellis.hadoop.framework.NodeManagerFramework;
import io.trellis.hadoop.framework.NodeManagerTask;
import io.trellis.hadoop.profile.Profiles;
import io.trellis.hadoop.yarn.EmbeddedResourceManager;
import io.trellis.hadoop.yarn.RmAddresses;
import io.trellis.hadoop.yarn.YarnConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trellis hadoop resourcemanager}: a YARN ResourceManager in this JVM, the Trellis framework
 * that runs its NodeManagers as tasks, and the control API that {@code trellis hadoop} talks to.
 * Wiring only; everything runs until SIGTERM or {@code trellis hadoop shutdown}.
 */
@Command(name = "resourcemanager", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Run a YARN ResourceManager whose NodeManagers are Trellis tasks that flex with demand.")
public final class ResourceManagerMain implements Callable<Integer> {
  @Option(names = "--master", description = "Trellis master: host:port or zk://host:port/path (default: $TRELLIS_MASTER or 127.0.0.1:5050)")
  String master = System.getenv().getOrDefault("TRELLIS_MASTER", "127.0.0.1:5050");

  @Option(names = "--role", defaultValue = "hadoop", description = "The Trellis role of the NodeManagers (default ${DEFAULT-VALUE}).")
  String role;

  @Option(names = "--name", defaultValue = "default", description = "This YARN cluster's name (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the ResourceManager and the control API (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8090", description = "Port of the control API for trellis hadoop (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--rm-port", defaultValue = "8032", description = "ResourceManager client port (default ${DEFAULT-VALUE}).")
  int rmPort;

  @Option(names = "--scheduler-port", defaultValue = "8030", description = "Scheduler port for application masters (default ${DEFAULT-VALUE}).")
  int schedulerPort;

  @Option(names = "--tracker-port", defaultValue = "8031", description = "Resource tracker port for NodeManagers (default ${DEFAULT-VALUE}).")
  int trackerPort;

  @Option(names = "--admin-port", defaultValue = "8033", description = "Admin port (default ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--web-port", defaultValue = "8088", description = "Web UI and REST port (default ${DEFAULT-VALUE}).")
  int webPort;

  @Option(names = "--default-fs", defaultValue = "file:///", description = "The jobs' default filesystem, e.g. hdfs://namenode:8020 (default ${DEFAULT-VALUE}: one machine only).")
  String defaultFs;

  @Option(names = "--work-dir", description = "Keeps the framework id across restarts and the MapReduce staging area (default ~/.trellis/hadoop/NAME).")
  Path workDir;

  @Option(names = "--profiles", defaultValue = Profiles.DEFAULTS, description = "NodeManager sizes, name=cpus:memMb,... (default ${DEFAULT-VALUE}).")
  String profiles;

  @Option(names = "--nm-overhead", defaultValue = "512", description = "MB of each profile the NodeManager's own JVM keeps (default ${DEFAULT-VALUE}).")
  int overheadMb;

  @Option(names = "--min", defaultValue = "0", description = "NodeManagers kept when idle (default ${DEFAULT-VALUE}).")
  int min;

  @Option(names = "--max", defaultValue = "8", description = "NodeManagers at most (default ${DEFAULT-VALUE}).")
  int max;

  @Option(names = "--auto", defaultValue = "true", arity = "1", description = "Flex automatically with YARN's demand: true or false (default ${DEFAULT-VALUE}).")
  boolean auto;

  @Option(names = "--auto-profile", defaultValue = "small", description = "Profile of NodeManagers added automatically (default ${DEFAULT-VALUE}).")
  String autoProfile;

  @Option(names = "--idle-grace", defaultValue = "30", description = "Seconds an NM without containers stays before it is decommissioned (default ${DEFAULT-VALUE}).")
  int idleGraceSeconds;

  @Option(names = "--starved-after", defaultValue = "5", description = "Seconds containers may stay pending before an NM is added though they seem to fit (default ${DEFAULT-VALUE}).")
  int starvedSeconds;

  @Option(names = "--decommission-timeout", defaultValue = "600", description = "Seconds YARN lets a decommissioning NM's containers finish (default ${DEFAULT-VALUE}).")
  int decommissionTimeout;

  @Option(names = "--registration-timeout", defaultValue = "120", description = "Seconds an NM task may run without registering before it is replaced (default ${DEFAULT-VALUE}).")
  int registrationTimeout;

  @Option(names = "--failover-timeout", defaultValue = "3600", description = "Seconds Trellis keeps the NMs while this process is away (default ${DEFAULT-VALUE}).")
  double failoverTimeout;

  @Option(names = "--nm-java-options", defaultValue = "", description = "More JVM options of the NodeManagers.")
  String nmJavaOptions;

  @Option(names = "--lib", description = "The adapter's jars on the agents (default: where this process runs from).")
  Path lib;

  @Override
  public Integer call() throws Exception {
    Profiles ps = Profiles.parse(profiles, overheadMb);
    FlexSettings flex = new FlexSettings(min, max, auto, ps.require(autoProfile), Duration.ofSeconds(idleGraceSeconds),
        Duration.ofSeconds(starvedSeconds), Duration.ofSeconds(registrationTimeout), decommissionTimeout);
    Path work = (workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".trellis", "hadoop", name))
        .toAbsolutePath();
    RmAddresses rm = new RmAddresses(host, rmPort, schedulerPort, trackerPort, adminPort, webPort);
    FrameworkSettings fs = new FrameworkSettings(master, role, name, System.getProperty("user.name"), failoverTimeout,
        Duration.ofSeconds(1), work, "http://" + rm.web());
    Path libDir = lib != null ? lib : AdapterLib.ownLib();
    List<String> jvmFlags = AdapterLib.jvmFlags();
    Path staging = Files.createDirectories(work.resolve("staging"));

    EmbeddedResourceManager resourceManager = EmbeddedResourceManager.start(YarnConf.resourceManager(rm, defaultFs, libDir));
    MasterDetector detector = MasterDetectors.from(master);
    NodeManagerFramework framework = new NodeManagerFramework(fs, ps, new NodeManagers(flex, Clock.systemUTC()),
        new NodeManagerTask(name, rm, defaultFs, libDir, AdapterLib.java(), jvmFlags, nmJavaOptions), resourceManager.view(), detector,
        io.trellis.security.ClientSecurity.fromEnvironment());
    CountDownLatch stopped = new CountDownLatch(1);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("cluster", name);
    info.put("role", role);
    info.put("resourceManager", rm.client());
    info.put("webUi", "http://" + rm.web());
    Map<String, Map<String, String>> clientConf = YarnConf.byFile(
        YarnConf.client(rm, defaultFs, libDir, staging.toString(), jvmFlags));
    framework.start();
    ControlServer control = ControlServer.start(host, port, framework, info, clientConf, () -> {
      framework.teardown();
      stopped.countDown();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      control.close();
      framework.close();
      resourceManager.close();
      detector.close();
    }, "hadoop-stop"));
    String id = framework.awaitSubscribed(Duration.ofSeconds(60));
    System.out.printf("ResourceManager %s (web UI http://%s) on Trellis as framework %s under role %s;"
        + " control API %s:%d%n", rm.client(), rm.web(), id, role, host, control.port());
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    Logging.quiet();
    CommandLine cmd = new CommandLine(new ResourceManagerMain()).setCommandName("trellis hadoop resourcemanager");
    cmd.setExecutionExceptionHandler((e, c, parsed) -> {
      c.getErr().println("trellis hadoop resourcemanager: " + e.getMessage());
      return 1;
    });
    try {
      System.exit(cmd.execute(args));
    } catch (Throwable e) {
      System.err.println("trellis hadoop resourcemanager: " + e);
      System.exit(1);
    }
  }
}
