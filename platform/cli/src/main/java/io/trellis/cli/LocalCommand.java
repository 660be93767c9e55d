package io.trellis.cli;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.plugin.LocalComponent;
import io.trellis.plugin.LocalContext;
import io.trellis.plugin.TrellisPlugin;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.ClusterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trellis local}: an embedded ZooKeeper, a master and an agent in one JVM, for one
 * machine. Prints where its data lives and every address it serves. Its data directory stays
 * between runs ({@link LocalDataDir}); every port it needs is checked before anything starts.
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

  @Option(names = "--data-dir", description = "Where ZooKeeper data and agent sandboxes go, kept between runs"
      + " so a restart recovers apps, jobs and running tasks (default: ~/.trellis/local)")
  Path dataDir;

  @Option(names = "--config", description = "A properties file of option defaults (see conf/local.properties)")
  Path config;

  @Option(names = "--fresh", description = "Start with an empty data directory: delete what earlier runs left in it")
  boolean fresh;

  @Option(names = "--zk-session-timeout", defaultValue = "10",
      description = "ZooKeeper session timeout in seconds of the hosted frameworks (default: ${DEFAULT-VALUE})")
  int zkSessionTimeoutSeconds;

  @Option(names = "--resources", defaultValue = "", description = "Agent resource overrides, e.g. 'cpus:4;mem:4096'")
  String resources;

  @picocli.CommandLine.Mixin
  DockerOptions docker = new DockerOptions();

  @picocli.CommandLine.Mixin
  io.trellis.plugin.AuthOptions auth = new io.trellis.plugin.AuthOptions();

  @Option(names = "--task-user", paramLabel = "USER",
      description = "The Unix user tasks run as unless their command names one (default: nobody when run as root)")
  String taskUser;

  @Option(names = "--tls", description = "Serve https: generate a CA and a certificate for 127.0.0.1 and localhost"
      + " in <data dir>/security/ (kept between runs); the trellis command on this machine trusts it by itself")
  boolean tls;

  @Option(names = "--tls-client-auth", defaultValue = "none",
      description = "With --tls, client certificates: none, want or need (mutual TLS) (default: ${DEFAULT-VALUE})")
  String tlsClientAuth;

  @picocli.CommandLine.Mixin
  io.trellis.plugin.ZkCredentialOptions zkCredentials = new io.trellis.plugin.ZkCredentialOptions();

  @Override
  public Integer call() throws Exception {
    Trellis.serverLogging();
    if (zkSessionTimeoutSeconds < 1 || zkSessionTimeoutSeconds > 600) {
      throw new IllegalArgumentException("--zk-session-timeout " + zkSessionTimeoutSeconds + " is outside 1 to 600 seconds");
    }
    List<LocalComponent> components = components();
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("ZooKeeper (--zk-port)", zkPort);
    ports.put("master (--port)", port);
    ports.put("agent (--agent-port)", agentPort);
    for (LocalComponent c : components) {
      for (int p : c.ports()) {
        ports.put(c.name() + " API", p);
      }
    }
    io.trellis.security.tls.ServerTls.ClientAuth clientAuth = io.trellis.security.tls.ServerTls.ClientAuth.parse(tlsClientAuth);
    if (!tls && clientAuth != io.trellis.security.tls.ServerTls.ClientAuth.NONE) {
      throw new IllegalArgumentException("--tls-client-auth needs --tls");
    }
    io.trellis.security.zk.ZkCredentials zkAuth = zkCredentials.credentials();
    try (LocalDataDir data = LocalDataDir.open(dataDir != null ? dataDir : LocalDataDir.defaultPath(), fresh)) {
      FreePorts.require("127.0.0.1", ports);
      run(data.path(), components, LocalTls.transport(data.path(), tls, clientAuth, zkAuth));
    } finally {
      stopped.countDown();
    }
    return 0;
  }

  /** Ctrl-C (or SIGTERM) asks the main thread to stop ... */
  private final CountDownLatch stopping = new CountDownLatch(1);
  /** ... and waits until it has closed everything, so ZooKeeper sessions end and the next start need not wait them out. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  private void stopOnShutdown() {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping ...");
      stopping.countDown();
      try {
        stopped.await(20, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "trellis-local-stop"));
  }

  private void run(Path dir, List<LocalComponent> components, io.trellis.security.TransportSecurity transport)
      throws Exception {
    // Closed unless --insecure: the admin token, a token for each process it hosts (the master,
    // the agent, the services and jobs frameworks) and the default access rules in
    // <data>/security, made on the first start and kept.
    List<String> principals = new ArrayList<>(List.of("master", "agent"));
    components.forEach(c -> principals.add(c.name()));
    ServerSecurity security = auth.serverSecurity("local", dir.resolve("security"), principals);
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zookeeper"), zkPort)) {
      String zkSpec = "zk://" + zk.connectString() + "/trellis";
      MasterConfig config = MasterConfig.defaults().withPort(port);
      String scheme = transport.scheme();
      Path keyFile = dir.resolve("security").resolve(ClusterKey.FILE);
      ClusterKey key = ClusterKey.readOrCreate(keyFile);
      Map<String, String> settings = new LinkedHashMap<>(docker.settings());
      settings.put(AgentConfig.CLUSTER_KEY_FILE, keyFile.toString());
      Path agentDir = agentDir(dir);
      String user = localTaskUser(agentDir);
      if (user != null) {
        settings.put(AgentConfig.TASK_USER, user);
      }
      try (MasterProcess master = Processes.master(config, zkSpec, as("master", transport, dir, security), security,
              key);
          AgentProcess agent = Processes.agent(new AgentConfig(zkSpec, "127.0.0.1", agentPort,
              agentDir, resources, "", Duration.ofSeconds(3), Duration.ofSeconds(2), settings),
              as("agent", transport, dir, security), security)) {
        if (!agent.awaitRegistered(Duration.ofSeconds(30))) {
          System.err.println("WARNING: the agent has not registered with the master within 30 s; see the log above");
        }
        List<LocalComponent.Running> hosted = startHosted(components, zkSpec, master.endpoint(), dir,
            Duration.ofSeconds(zkSessionTimeoutSeconds), transport, security);
        System.out.println();
        System.out.println("Trellis local cluster is up.");
        System.out.println("  data directory   " + dir + "   (kept between runs; --fresh starts empty)");
        System.out.println("  ZooKeeper        " + zk.connectString() + "   (" + zkSpec + ")");
        System.out.println("  web UI           " + scheme + "://" + master.endpoint() + "/ui/   (sign in with the admin token below)");
        System.out.println("  master           " + scheme + "://" + master.endpoint() + "   scheduler API /api/v1/scheduler");
        System.out.println("  state            " + scheme + "://" + master.endpoint() + "/api/v1/state");
        System.out.println("  metrics          " + scheme + "://" + master.endpoint() + "/metrics");
        System.out.println("  agent            " + scheme + "://" + agent.endpoint() + "   sandboxes under " + agentDir
            + (user == null ? "" : ", tasks run as " + user));
        System.out.println("  cluster key      " + keyFile + "   (masters sign their calls to agents with it)");
        if (transport.server() != null) {
          System.out.println("  TLS CA           " + transport.server().clientCa()
              + "   (the trellis command here trusts it; curl --cacert it)");
        }
        for (LocalComponent.Running running : hosted) {
          for (String[] line : running.addresses()) {
            System.out.printf("  %-16s %s%n", line[0], line[1]);
          }
        }
        if (security.enabled()) {
          System.out.println("  admin token      " + auth.adminToken(dir.resolve("security")) + "   (mode 0600;"
              + " the trellis command on this machine finds it; curl -H \"Authorization: Bearer $(cat "
              + auth.adminToken(dir.resolve("security")) + ")\" ...)");
        } else {
          System.out.println("  security         OFF (--insecure): anyone who reaches these ports may do anything");
        }
        System.out.println();
        System.out.println("Try, in another shell:  bin/trellis run -- echo hello");
        System.out.println("Stop with Ctrl-C.");
        stopOnShutdown();
        try {
          stopping.await();
        } finally {
          for (int i = hosted.size() - 1; i >= 0; i--) {
            hosted.get(i).close();
          }
        }
      }
    }
  }

  /**
   * {@code transport} calling with the token of {@code principal} (from {@code <dir>/security})
   * when the cluster is closed; as it is when open.
   */
  static io.trellis.security.TransportSecurity as(String principal, io.trellis.security.TransportSecurity transport,
      Path dir, ServerSecurity security) throws java.io.IOException {
    if (!security.enabled()) {
      return transport;
    }
    String token = Files.readString(dir.resolve("security").resolve(principal + ".token")).strip();
    return transport.withClient(transport.client().withToken(token));
  }

  /** Where root's sandboxes go when its data directory is closed to the task user. */
  static final Path ROOT_SANDBOXES = Path.of("/var/lib/trellis/local-agents");

  private static boolean hasContent(Path dir) throws java.io.IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  /**
   * The agent's work directory (sandboxes, checkpoints): {@code <data dir>/agent}, unless run as
   * root with a default task user that could not reach it (a data directory in a home of mode
   * 0700, such as {@code /root/.trellis/local}): then a directory of its own under {@code
   * /var/lib/trellis/local-agents}, named after the data directory so a restart finds its tasks
   * again, and emptied with it by {@code --fresh}.
   */
  Path agentDir(Path dataDir) throws java.io.IOException {
    Path inside = dataDir.resolve("agent");
    if (taskUser != null || TaskUsers.choose(null) == null || TaskUsers.closedOnTheWay(inside) == null
        || hasContent(inside)) {
      // An agent directory already in use keeps its tasks (and, if closed, runs them as root: --fresh moves it).
      return inside;
    }
    String name = java.util.UUID.nameUUIDFromBytes(dataDir.toAbsolutePath().normalize().toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 8);
    Path outside = ROOT_SANDBOXES.resolve(name);
    if (fresh && Files.exists(outside)) {
      try (java.util.stream.Stream<Path> all = Files.walk(outside)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("DATA_DIR"), "the sandboxes of the trellis local whose data directory is "
        + dataDir.toAbsolutePath().normalize() + "\n");
    return outside;
  }

  /**
   * The user tasks run as: the one given, else {@value TaskUsers#DEFAULT} when run as root and the
   * sandboxes are open to it; a root whose data directory is closed to other users (a home
   * directory of mode 0700) is told how to run tasks unprivileged, and runs them as root.
   */
  private String localTaskUser(Path agentDir) {
    String user = TaskUsers.choose(taskUser);
    if (taskUser != null || user == null) {
      return user;
    }
    Path closed = TaskUsers.closedOnTheWay(agentDir);
    if (closed != null) {
      System.err.println("WARNING: tasks run as root, not as " + user + ": " + closed + " is closed to other users,"
          + " so " + user + " could not reach the sandboxes under " + agentDir + ". Start with --fresh (sandboxes"
          + " then go under " + ROOT_SANDBOXES + ") or --data-dir under a"
          + " directory others may enter (such as /var/lib/trellis/local) to run tasks as " + user + ".");
      return null;
    }
    return user;
  }

  /** What the plugins on the class path host in {@code trellis local}, in their order. */
  static List<LocalComponent> components() {
    List<LocalComponent> components = new ArrayList<>();
    for (TrellisPlugin plugin : Trellis.plugins()) {
      plugin.local().ifPresent(components::add);
    }
    components.sort(Comparator.comparingInt(LocalComponent::order));
    return components;
  }

  /** Starts what the plugins on the class path host in {@code trellis local}, in their order. */
  static List<LocalComponent.Running> startHosted(List<LocalComponent> components, String zkSpec, String master,
      Path dir, Duration zkSessionTimeout) throws Exception {
    return startHosted(components, zkSpec, master, dir, zkSessionTimeout, io.trellis.security.TransportSecurity.NONE,
        ServerSecurity.off());
  }

  /**
   * As above, the components serving and calling with {@code transport}, their servers' callers
   * checked by {@code security}; when it is on, each calls with the token of the principal named
   * as the component ({@code <dir>/security/<name>.token}).
   */
  static List<LocalComponent.Running> startHosted(List<LocalComponent> components, String zkSpec, String master,
      Path dir, Duration zkSessionTimeout, io.trellis.security.TransportSecurity transport, ServerSecurity security)
      throws Exception {
    List<LocalComponent.Running> started = new ArrayList<>();
    for (LocalComponent c : components) {
      Path data = dir.resolve(c.name());
      Files.createDirectories(data);
      try {
        started.add(c.start(new LocalContext(zkSpec, master, data, "127.0.0.1", zkSessionTimeout,
            as(c.name(), transport, dir, security), security)));
      } catch (Exception e) {
        for (int i = started.size() - 1; i >= 0; i--) {
          started.get(i).close();
        }
        throw new IllegalStateException("cannot start the " + c.name() + ": " + Trellis.message(e), e);
      }
    }
    return started;
  }
}
