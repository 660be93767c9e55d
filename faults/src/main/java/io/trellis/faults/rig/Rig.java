package io.trellis.faults.rig;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Node.Role;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A Trellis cluster of real processes on network namespaces: 3 ZooKeeper members, masters, agents,
 * the services and jobs frameworks, each on a "host" of its own, closed as an operator would run it
 * (a cluster key, tokens, tasks as {@code nobody}). Faults act on its {@link Node}s and its {@link
 * Network}; verdicts read the {@link Ledger}, the processes of the agents' hosts and the leading
 * master's state.
 *
 * <p>{@link #close} (also run by a shutdown hook) stops every process and removes the namespaces and
 * the bridge; {@link #start} first removes what a killed earlier run of the same prefix left.
 */
public final class Rig implements AutoCloseable {
  /** JVM options of every server process: small heaps, quick start (many JVMs share the machine). */
  static final String JAVA_OPTS = "-Xmx384m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
  public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final RigConfig config;
  private final Network network;
  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, String> bootIds = new TreeMap<>();
  private Ledger ledger;
  private Api api;
  private Thread hook;
  private Consumer<String> progress = s -> {};

  private Rig(RigConfig config, FileChannel lockChannel, FileLock lock) {
    this.config = config;
    this.network = new Network(config.prefix(), config.subnet());
    this.root = config.root();
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Starts the whole rig and waits until a master leads with every agent and framework registered.
   * Must run as root (namespaces, {@code iptables}, tasks as {@code nobody}).
   */
  public static Rig start(RigConfig config, Consumer<String> progress) throws IOException {
    requireRoot();
    Path root = config.root();
    Files.createDirectories(root);
    FileChannel channel = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.tryLock();
    if (lock == null) {
      channel.close();
      throw new IllegalStateException("another rig with prefix '" + config.prefix() + "' is running on this machine"
          + " (it holds " + root.resolve(".lock") + "); wait for it or give this one another prefix and subnet");
    }
    Rig rig = new Rig(config, channel, lock);
    rig.progress = progress;
    rig.hook = new Thread(rig::closeQuietly, "rig-cleanup");
    Runtime.getRuntime().addShutdownHook(rig.hook);
    try {
      rig.boot();
    } catch (RuntimeException | IOException e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  /** Refuses to go on unless running as root, saying why. */
  public static void requireRoot() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the fault rig must run as root: it makes network namespaces and iptables rules"
          + " and runs tasks as nobody (run it with sudo)");
    }
  }

  private void boot() throws IOException {
    progress.accept("cleaning what an earlier run with prefix " + config.prefix() + " left");
    network.removeLeftovers();
    deleteData();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    ledger = new Ledger(root.resolve("ledger"));
    Path security = root.resolve("security");
    Files.createDirectories(security);
    Files.setPosixFilePermissions(security, PosixFilePermissions.fromString("rwx------"));
    Path key = security.resolve("cluster.key");
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    Files.writeString(key, HexFormat.of().formatHex(bytes) + "\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

    progress.accept("making the network " + config.subnet() + ".0/24 and the hosts (" + config.install() + ")");
    network.create();
    for (int i = 1; i <= 3; i++) {
      network.add("zk" + i, 10 + i);
    }
    for (int i = 1; i <= config.masters(); i++) {
      network.add("master" + i, 20 + i);
    }
    for (int i = 1; i <= config.services(); i++) {
      network.add("services" + i, 30 + i);
    }
    for (int i = 1; i <= config.jobs(); i++) {
      network.add("jobs" + i, 40 + i);
    }
    for (int i = 1; i <= config.agents(); i++) {
      network.add("agent" + i, 50 + i);
    }

    // The admin's token, made the way an operator makes it; the servers make their own principals' tokens.
    Shell.run(config.install().trellis(List.of("security", "token", "admin", "--security-dir", security.toString()))
        .toArray(String[]::new));
    api = new Api(Files.readString(security.resolve("admin.token")).strip());

    progress.accept("starting 3 ZooKeeper members");
    String ensemble = String.join(",", hostsOf("zk").stream()
        .map(h -> h.address() + ":2888:3888:2181").toList());
    Shell.Outcome zkHelp = Shell.attempt(config.install().trellis(List.of("zookeeper", "--help")).toArray(String[]::new));
    boolean trellisZk = zkHelp.status() == 0 && zkHelp.output().contains("--ensemble");
    for (int i = 1; i <= 3; i++) {
      Host h = network.host("zk" + i);
      Path data = dataDir(h);
      List<String> argv = trellisZk
          ? config.install().trellis(List.of("zookeeper", "--data-dir", data.toString(), "--id", Integer.toString(i),
              "--ensemble", ensemble))
          : zooKeeperMember(data, i, ensemble);
      add(new Node(h.name(), Role.ZOOKEEPER, h, argv, env(h), logOf(h)));
    }
    startAll(Role.ZOOKEEPER, "serving clients");

    progress.accept("starting " + config.masters() + " masters");
    List<String> common = List.of("--security-dir", security.toString());
    for (Host h : hostsOf("master")) {
      List<String> args = new ArrayList<>(List.of("master", "--host", h.address(), "--zk", zk(),
          "--cluster-key-file", key.toString()));
      args.addAll(common);
      args.addAll(config.masterOptions());
      add(new Node(h.name(), Role.MASTER, h, config.install().trellis(args), env(h), logOf(h)));
    }
    startAll(Role.MASTER, "master listening on");
    awaitLeader(START_TIMEOUT);

    progress.accept("starting " + config.agents() + " agents, services ×" + config.services() + ", jobs ×" + config.jobs());
    for (Host h : hostsOf("agent")) {
      Path work = dataDir(h).resolve("work");
      Files.createDirectories(work);
      List<String> args = new ArrayList<>(List.of("agent", "--master", zk(), "--host", h.address(),
          "--work-dir", work.toString(), "--resources", config.agentResources(), "--cluster-key-file", key.toString()));
      args.addAll(common);
      Map<String, String> env = env(h);
      bootIds.put(h.name(), UUID.randomUUID().toString());
      env.put(BOOT_ID_VARIABLE, bootIds.get(h.name()));
      add(new Node(h.name(), Role.AGENT, h, config.install().trellis(args), env, logOf(h)));
    }
    for (Host h : hostsOf("services")) {
      List<String> args = new ArrayList<>(List.of("services", "--zk", zk(), "--host", h.address()));
      args.addAll(common);
      add(new Node(h.name(), Role.SERVICES, h, config.install().trellis(args), env(h), logOf(h)));
    }
    for (Host h : hostsOf("jobs")) {
      List<String> args = new ArrayList<>(List.of("jobs", "--zk", zk(), "--host", h.address()));
      args.addAll(common);
      add(new Node(h.name(), Role.JOBS, h, config.install().trellis(args), env(h), logOf(h)));
    }
    nodes.values().stream().filter(n -> !n.alive()).forEach(Node::start);
    for (Node n : nodes.values()) {
      awaitUp(n);
    }
    awaitAgentsRegistered(START_TIMEOUT);
    progress.accept("rig up: " + nodes.size() + " processes on " + network.hosts().size() + " hosts");
  }

  /** The environment variable the agent reads its host's boot id from, instead of the kernel's. */
  public static final String BOOT_ID_VARIABLE = "TRELLIS_BOOT_ID";

  private List<String> zooKeeperMember(Path data, int id, String ensemble) {
    String self = ZooKeeperMember.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    String cp = config.install().lib() + "/*" + java.io.File.pathSeparator + self;
    List<String> argv = new ArrayList<>(List.of(Install.java()));
    argv.addAll(List.of(JAVA_OPTS.split(" ")));
    argv.addAll(List.of("-cp", cp, ZooKeeperMember.class.getName(), data.toString(), Integer.toString(id), ensemble));
    return argv;
  }

  private Map<String, String> env(Host h) {
    Map<String, String> env = new TreeMap<>();
    env.put("TRELLIS_JAVA_OPTS", JAVA_OPTS);
    env.put("HOME", dataDir(h).resolve("home").toString());
    return env;
  }

  private void add(Node n) {
    nodes.put(n.name(), n);
  }

  private void startAll(Role role, String ready) {
    List<Node> of = nodes(role);
    of.forEach(Node::start);
    of.forEach(n -> n.awaitOutput(ready, START_TIMEOUT));
  }

  /** Waits until {@code n}'s current run serves (it printed its listening line). */
  public void awaitUp(Node n) {
    n.awaitOutput(switch (n.role()) {
      case ZOOKEEPER -> "serving clients";
      case MASTER -> "master listening on";
      case AGENT -> "registered with the master";
      case SERVICES -> "services API listening on";
      case JOBS -> "jobs API on";
    }, START_TIMEOUT);
  }

  private List<Host> hostsOf(String kind) {
    return network.hosts().stream().filter(h -> h.name().matches(kind + "\\d+")).toList();
  }

  private Path dataDir(Host h) {
    Path d = root.resolve("hosts").resolve(h.name());
    try {
      Files.createDirectories(d);
      Files.setPosixFilePermissions(root.resolve("hosts"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot make " + d + ": " + e.getMessage(), e);
    }
    return d;
  }

  private Path logOf(Host h) {
    return root.resolve("logs").resolve(h.name() + ".log");
  }

  // ---- what scenarios use

  public RigConfig config() {
    return config;
  }

  public Network network() {
    return network;
  }

  public Ledger ledger() {
    return ledger;
  }

  public Api api() {
    return api;
  }

  public Path root() {
    return root;
  }

  /** {@code zk://zk1:2181,zk2:2181,zk3:2181/trellis}. */
  public String zk() {
    return "zk://" + String.join(",", hostsOf("zk").stream().map(h -> h.address() + ":2181").toList()) + "/trellis";
  }

  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node '" + name + "' in the rig; nodes: " + nodes.keySet());
    }
    return n;
  }

  public List<Node> nodes(Role role) {
    return nodes.values().stream().filter(n -> n.role() == role).toList();
  }

  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  /** {@code http://address:5050}. */
  public static String masterUrl(Node master) {
    return "http://" + master.host().address() + ":5050";
  }

  /** The master whose own state says it leads, if exactly one does (two leading is an exception). */
  public Optional<Node> leader() {
    List<Node> leading = leaders();
    if (leading.size() > 1) {
      throw new IllegalStateException("two masters say they lead: " + leading);
    }
    return leading.stream().findFirst();
  }

  /** Every master whose own state says it leads (at most one, unless something is broken). */
  public List<Node> leaders() {
    // Asked all at once, each with a short timeout: a stopped master accepts connections and
    // never answers, and must not delay seeing the others.
    List<java.util.concurrent.CompletableFuture<Node>> asked = nodes(Role.MASTER).stream().filter(Node::alive)
        .map(m -> java.util.concurrent.CompletableFuture.supplyAsync(() -> saysItLeads(m) ? m : null)).toList();
    List<Node> out = new ArrayList<>();
    for (var f : asked) {
      Node m = f.join();
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** Whether {@code master} answers within 2 s and says it leads. */
  public boolean saysItLeads(Node master) {
    try {
      Api.Answer a = api.get(masterUrl(master) + "/api/v1/state", Duration.ofSeconds(2));
      return a.ok() && a.json().path("leading").asBoolean(false);
    } catch (RuntimeException e) {
      return false; // stopped, partitioned or starting: not a leader anyone can see
    }
  }

  /** Waits until one master leads and has recovered its state; returns it. */
  public Node awaitLeader(Duration timeout) {
    Node[] found = new Node[1];
    Waits.until("a leading master", timeout, () -> {
      Optional<Node> l = leader();
      if (l.isPresent() && api.get(masterUrl(l.get()) + "/api/v1/state").json().path("recovered").asBoolean(true)) {
        found[0] = l.get();
        return true;
      }
      return false;
    });
    return found[0];
  }

  /** The leading master's state ({@code /api/v1/state}). */
  public JsonNode state() {
    Node l = leader().orElseThrow(() -> new IllegalStateException("no master leads"));
    return api.get(masterUrl(l) + "/api/v1/state").expectOk("state of " + l);
  }

  /** Waits until the leader lists every running agent as reachable. */
  public Duration awaitAgentsRegistered(Duration timeout) {
    return Waits.until("every agent registered and reachable", timeout, () -> {
      JsonNode agents = state().path("agents");
      for (Node a : nodes(Role.AGENT)) {
        if (!a.alive()) {
          continue;
        }
        boolean seen = false;
        for (JsonNode ag : agents) {
          seen |= ag.path("hostname").asText().equals(a.host().address()) && ag.path("reachable").asBoolean();
        }
        if (!seen) {
          return false;
        }
      }
      return true;
    });
  }

  /** The URL of a services instance that answers (they pass calls on to their leader). */
  public String servicesUrl() {
    return frameworkUrl(Role.SERVICES, 8080, "/ping");
  }

  /** The URL of a jobs instance that answers. */
  public String jobsUrl() {
    return frameworkUrl(Role.JOBS, 4400, "/v1/scheduler/jobs");
  }

  private String frameworkUrl(Role role, int port, String probe) {
    for (Node n : nodes(role)) {
      String url = "http://" + n.host().address() + ":" + port;
      try {
        if (n.alive() && api.get(url + probe).ok()) {
          return url;
        }
      } catch (RuntimeException e) {
        // try the next one
      }
    }
    throw new IllegalStateException("no " + role.name().toLowerCase() + " instance answers");
  }

  /**
   * The task processes running on the agents' hosts, by task id: every process of an agent's
   * namespace whose environment names a {@code TRELLIS_TASK_ID}.
   */
  public Map<String, Set<Long>> taskProcesses() {
    Map<String, Set<Long>> out = new TreeMap<>();
    for (Node a : nodes(Role.AGENT)) {
      for (long pid : network.pids(a.host())) {
        String id = taskIdOf(pid);
        if (id != null) {
          out.computeIfAbsent(id, k -> new TreeSet<>()).add(pid);
        }
      }
    }
    return out;
  }

  private static String taskIdOf(long pid) {
    try {
      byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
        if (kv.startsWith("TRELLIS_TASK_ID=")) {
          return kv.substring("TRELLIS_TASK_ID=".length());
        }
      }
    } catch (IOException e) {
      // gone meanwhile
    }
    return null;
  }

  /**
   * Reboots an agent's host: the agent and every process of the host die at once, the host comes
   * back with a new boot id, and the agent starts again on the same work directory.
   */
  public void rebootAgentHost(Node agent) {
    if (agent.role() != Role.AGENT) {
      throw new IllegalArgumentException(agent + " is not an agent");
    }
    agent.kill9();
    for (long pid : network.pids(agent.host())) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    String boot = UUID.randomUUID().toString();
    bootIds.put(agent.name(), boot);
    agent.setEnv(BOOT_ID_VARIABLE, boot);
    agent.start();
  }

  /**
   * Back to a whole cluster after a scenario: every link healed, every paused process resumed,
   * every dead process started again, a leader with every agent registered.
   */
  public void restore() {
    network.healAll();
    for (Node n : nodes.values()) {
      if (n.alive()) {
        Shell.attempt("kill", "-CONT", Long.toString(n.pid()));
      } else {
        n.start();
      }
    }
    for (Node n : nodes.values()) {
      awaitUp(n);
    }
    awaitLeader(START_TIMEOUT);
    awaitAgentsRegistered(START_TIMEOUT);
  }

  private void deleteData() throws IOException {
    for (String d : List.of("hosts", "logs", "ledger", "security")) {
      Path p = root.resolve(d);
      if (Files.exists(p)) {
        try (var walk = Files.walk(p)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    for (Node n : nodes.values()) {
      n.kill9();
    }
    network.destroy();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
  }

  private void closeQuietly() {
    try {
      if (lockChannel.isOpen()) {
        close();
      }
    } catch (RuntimeException e) {
      System.err.println("rig cleanup: " + e.getMessage());
    }
  }
}
