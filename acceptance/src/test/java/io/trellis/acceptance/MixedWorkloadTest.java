package io.trellis.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.hadoop.cli.YarnCluster;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.services.ServicesProcess;
import io.trellis.storm.cli.StormCluster;
import io.trellis.testkit.LocalJvm;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Storm topology, a YARN word count, a Spark application, a services app and a cron job on one
 * cluster at the same time, the first four each asking for more than the cluster has: while the
 * four run, each role's dominant share stays within {@link #TOLERANCE} of its weighted fair share
 * (weighted DRF), the cron job's role gets its guarantee back by preemption whenever a run is due,
 * and every workload makes progress or finishes correctly. Each framework states what it waits
 * for (REQUEST), so the allocator's fair offers split the agents by weight from the first cycle;
 * the master preempts for guarantees and fair shares. Everything runs as a user runs it: an
 * embedded ZooKeeper, a master, three agents, the services and jobs frameworks in this JVM;
 * Nimbus, the ResourceManager and spark-submit through the {@code trellis} command in JVMs of
 * their own, their supervisors, NodeManagers and executors as Trellis tasks. About fifteen JVMs:
 * tagged {@code mixed}, run by {@code bin/test-mixed}, not by {@code mvn verify}.
 */
@Tag("mixed")
class MixedWorkloadTest {
  static {
    // A test ZooKeeper need not fsync: on a busy disk a sync takes seconds and expires sessions.
    System.setProperty("zookeeper.forceSync", "no");
    java.util.logging.Logger.getLogger("org.glassfish").setLevel(java.util.logging.Level.WARNING);
  }

  /** Each agent; three of them. */
  static final String AGENT = "cpus:3;mem:3072;disk:10000";
  /** Role weights: Spark twice each other's. The services framework of a cluster offers as role "*". */
  static final Map<String, Double> WEIGHTS = Map.of("spark", 2.0, "storm", 1.0, "hadoop", 1.0, "*", 1.0);
  /** The cron jobs' role and its guarantee: one run of the job fits in it. */
  static final String JOBS_ROLE = "jobs";
  static final String JOBS_GUARANTEE = "cpus:0.5;mem:320";
  /** The preemption grace period: SIGTERM, then SIGKILL this much later. */
  static final int GRACE_SECONDS = 10;
  /** How far a role's median dominant share may be from its fair share: about one executor or NodeManager. */
  static final double TOLERANCE = 0.15;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** Set when every check passed: the cluster's directory (its logs) is kept otherwise. */
  private boolean passed;
  private final List<AgentProcess> agents = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private Path dir;
  private String marker;
  private TestingServer zk;
  private MasterProcess master;
  private MasterDetector detector;
  private OperatorClient operator;
  private ServicesProcess services;
  private io.trellis.jobs.framework.JobsFramework jobs;
  /** When every agent had registered: runs due before had no agent to run on. */
  private java.time.Instant agentsUp;
  private Path trellis;

  @Test
  void fourFrameworksShareTheClusterByTheirRolesWeights() throws Exception {
    startCluster();
    WEIGHTS.forEach((role, weight) -> operator.setRole(role, weight, null, null));
    operator.setRole(JOBS_ROLE, 1.0, JOBS_GUARANTEE, null);
    long t0 = System.nanoTime();

    // Nimbus and the ResourceManager (flexing NodeManagers of 1 cpu and 1 GB up to 6) start together.
    int nimbusPort = LocalJvm.freePort();
    processes.add(background("nimbus.log", "storm", "nimbus", "--zk", zkSpec(), "--port", "" + nimbusPort,
        "--local-dir", dir.resolve("nimbus").toString(), "--idle-grace-seconds", "5", "--java-options", marker));
    int[] rm = new int[6];
    for (int i = 0; i < rm.length; i++) {
      rm[i] = LocalJvm.freePort();
    }
    processes.add(background("rm.log", "hadoop", "resourcemanager", "--rm-port", "" + rm[0], "--scheduler-port",
        "" + rm[1], "--tracker-port", "" + rm[2], "--admin-port", "" + rm[3], "--web-port", "" + rm[4],
        "--port", "" + rm[5], "--work-dir", dir.resolve("rm").toString(), "--nm-java-options", marker,
        "--idle-grace", "10", "--min", "0", "--max", "6", "--profiles", "small=1:1024"));
    awaitTrellis("storm list", 180, "storm", "list", "--nimbus", "127.0.0.1:" + nimbusPort);
    awaitTrellis("hadoop status", 180, "hadoop", "status", "--rm", "127.0.0.1:" + rm[5]);
    System.out.printf("mixed: Nimbus and the ResourceManager up at %d s%n", seconds(t0));

    // Then the four workloads at once. Storm: a word count wanting 6 workers of 384 MB.
    Path stormOut = dir.resolve("storm-out");
    processes.add(background("storm-jar.log", "storm", "jar", "--nimbus", "127.0.0.1:" + nimbusPort,
        examplesJar("storm").toString(), "io.trellis.storm.examples.WordCount", "mixed", stormOut.toString(),
        "100000000", "6", "384"));

    // YARN: a word count over 8 files.
    Path yarnIn = dir.resolve("yarn-in");
    Map<String, Long> yarnExpected = YarnCluster.words(yarnIn, 8, 20000);
    Path yarnOut = dir.resolve("yarn-out");
    Process yarnJob = background("yarn-job.log", "hadoop", "jar", "--rm", "127.0.0.1:" + rm[5],
        examplesJar("hadoop").toString(), "io.trellis.hadoop.examples.WordCount", yarnIn.toString(), yarnOut.toString());
    processes.add(yarnJob);

    // Spark: SparkPi wanting 8 executors of 1 cpu and 768 MB.
    Process sparkApp = background("spark.log", "spark", "submit", "--master", "trellis://" + master.endpoint(),
        "--class", "io.trellis.spark.examples.SparkPi", "--executor-memory", "512m", "--executor-cores", "1",
        "--total-executor-cores", "8", "--driver-memory", "512m",
        "--conf", "spark.executor.memoryOverhead=256m", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=" + marker, "--conf", "spark.driver.extraJavaOptions=" + marker,
        examplesJar("spark").toString(), "4000");
    processes.add(sparkApp);
    // And a small Spark application whose two executors start together or not at all (a gang).
    Process sparkGang = background("spark-gang.log", "spark", "submit", "--master", "trellis://" + master.endpoint(),
        "--class", "io.trellis.spark.examples.SparkPi", "--executor-memory", "512m", "--executor-cores", "1",
        "--total-executor-cores", "2", "--driver-memory", "512m", "--name", "gang-pi",
        "--conf", "spark.trellis.gang=true", "--conf", "spark.trellis.gang.timeout=180s",
        "--conf", "spark.executor.memoryOverhead=256m", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.extraJavaOptions=" + marker, "--conf", "spark.driver.extraJavaOptions=" + marker,
        examplesJar("spark").toString(), "200");
    processes.add(sparkGang);

    // Services: 24 instances of 0.25 cpu and 256 MB.
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + services.port() + "/v2/apps"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"id\":\"/mixed/sleepers\",\"cmd\":\"sleep 900\",\"cpus\":0.25,\"mem\":256,\"instances\":24}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());

    // A cron job every minute: 20 s of 0.5 cpu and 256 MB under the guaranteed role.
    HttpResponse<String> job = http.send(HttpRequest.newBuilder(
            URI.create("http://" + jobs.endpoint() + "/v1/scheduler/iso8601"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"name\":\"mixed-cron\",\"schedule\":\"R//PT1M\",\"command\":\"sleep 20\",\"cpus\":0.5,\"mem\":256}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(job.statusCode() / 100 == 2, job.statusCode() + " " + job.body());

    // The agents come once all six frameworks are connected and wait, so the first fair offers
    // share them out; preemption keeps the shares and the guarantee from then on.
    awaitTrue("six frameworks connected", () -> count(operator.state().path("frameworks"), "connected") == 6, 300);
    TimeUnit.SECONDS.sleep(10);
    startAgents();
    agentsUp = java.time.Instant.now();
    System.out.printf("mixed: agents up at %d s%n", seconds(t0));

    // While all four hold resources, sample the dominant shares.
    Map<String, List<Double>> samples = new TreeMap<>();
    long windowEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(420);
    int together = 0;
    long stormCountsAtFirst = -1;
    while (System.nanoTime() < windowEnd && together < 20) {
      Map<String, Double> shares = dominantShares(state());
      if (WEIGHTS.keySet().stream().allMatch(r -> shares.getOrDefault(r, 0.0) > 0)) {
        together++;
        shares.forEach((r, s) -> samples.computeIfAbsent(r, k -> new ArrayList<>()).add(s));
        if (stormCountsAtFirst < 0) {
          stormCountsAtFirst = total(stormOut);
        }
        System.out.printf("mixed %4d s shares %s%n", seconds(t0), shares);
      } else if (together > 0) {
        System.out.printf("mixed %4d s shares %s: a workload ended, sampling stops%n", seconds(t0), shares);
        break;
      }
      TimeUnit.SECONDS.sleep(3);
    }
    assertTrue(together >= 5, "all four roles held resources together in only " + together + " samples; "
        + dominantShares(state()) + "; logs in " + dir);
    enginesPageShowsAllThree();

    double weights = WEIGHTS.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, String> report = new LinkedHashMap<>();
    List<String> far = new ArrayList<>();
    for (var e : WEIGHTS.entrySet()) {
      double fair = e.getValue() / weights;
      double median = median(samples.get(e.getKey()));
      report.put(e.getKey(), String.format("median %.3f fair %.3f", median, fair));
      if (Math.abs(median - fair) > TOLERANCE) {
        far.add("role " + e.getKey() + ": median dominant share " + median + " is not within " + TOLERANCE
            + " of its fair share " + String.format("%.3f", fair));
      }
    }
    System.out.printf("mixed shares over %d samples: %s%n", together, report);

    // Each makes progress or finishes correctly (checked before the shares, so a run shows both).
    long stormBefore = stormCountsAtFirst;
    awaitTrue("the Storm word count counting on", () -> total(stormOut) > stormBefore, 120);
    System.out.printf("mixed: Storm counting (%d words) at %d s%n", total(stormOut), seconds(t0));
    assertTrue(sparkApp.waitFor(600, TimeUnit.SECONDS), "SparkPi did not end: " + log("spark.log"));
    assertEquals(0, sparkApp.exitValue(), log("spark.log"));
    assertTrue(log("spark.log").contains("Pi is roughly 3.1"), log("spark.log"));
    System.out.printf("mixed: SparkPi done at %d s%n", seconds(t0));
    assertTrue(sparkGang.waitFor(300, TimeUnit.SECONDS), "the gang SparkPi did not end: " + log("spark-gang.log"));
    assertEquals(0, sparkGang.exitValue(), log("spark-gang.log"));
    assertTrue(log("spark-gang.log").contains("Pi is roughly 3.1"), log("spark-gang.log"));
    System.out.printf("mixed: the gang SparkPi done at %d s; gang metrics %s%n", seconds(t0), metrics("gang"));
    assertTrue(yarnJob.waitFor(600, TimeUnit.SECONDS), "the YARN word count did not end: " + log("yarn-job.log"));
    assertEquals(0, yarnJob.exitValue(), log("yarn-job.log"));
    assertEquals(yarnExpected, YarnCluster.output(yarnOut));
    System.out.printf("mixed: YARN word count done at %d s%n", seconds(t0));
    int running = (int) tasksOfRole(state(), "*").stream()
        .filter(t -> t.path("state").asText().equals("RUNNING")).count();
    assertTrue(running >= 1, "no services instance running");
    System.out.printf("mixed: %d services instances running, Storm counted %d words, at %d s%n",
        running, total(stormOut), seconds(t0));
    // The guaranteed role: each run of the cron job starts within the preemption grace period, an
    // allocation cycle and the time to start a process of when it is due, on this loaded machine.
    awaitTrue("two cron runs due after the agents came finished", () -> cronDelays().size() >= 2, 150);
    List<Long> delays = cronDelays();
    System.out.printf("mixed: cron runs started %s ms after they were due; preemptions: %s%n", delays, metrics("preempt"));
    for (long d : delays) {
      assertTrue(d <= (GRACE_SECONDS + 15) * 1000L, "a cron run started " + d + " ms after it was due: " + delays);
    }
    assertTrue(far.isEmpty(), String.join("; ", far) + "; samples " + samples);
    passed = true;
  }

  /** For each finished run of the cron job due after the agents came, the time from its slot to its start. */
  private List<Long> cronDelays() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + jobs.endpoint()
        + "/v1/scheduler/job/mixed-cron/history")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    List<Long> out = new ArrayList<>();
    for (JsonNode run : io.trellis.api.Json.mapper().readTree(r.body())) {
      if (run.path("state").asText().equals("SUCCEEDED") && run.hasNonNull("started")
          && !java.time.Instant.parse(run.path("slot").asText()).isBefore(agentsUp)) {
        out.add(java.time.Instant.parse(run.path("started").asText()).toEpochMilli()
            - java.time.Instant.parse(run.path("slot").asText()).toEpochMilli());
      }
    }
    return out;
  }

  /** The lines of the master's {@code /metrics} that mention {@code word}. */
  private String metrics(String word) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint() + "/metrics"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    return r.body().lines().filter(l -> l.contains(word) && !l.startsWith("#")).toList().toString();
  }

  /** The web UI's engines page lists the Spark applications, the Storm and the YARN cluster with their workers. */
  private void enginesPageShowsAllThree() throws Exception {
    org.openqa.selenium.WebDriver browser = io.trellis.acceptance.ui.Chromium.start(dir.resolve("chromium"));
    try {
      browser.get("http://" + master.endpoint() + "/ui/#/bigdata");
      org.openqa.selenium.support.ui.WebDriverWait wait =
          new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(60));
      for (String engine : List.of("spark", "storm", "hadoop")) {
        wait.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#engine-" + engine + " .engine")).stream()
            .anyMatch(card -> card.getText().matches("(?s).*\\b[1-9][0-9]* (executors|supervisors|NodeManagers).*")));
      }
      // The ResourceManager announces its own web UI.
      assertTrue(!browser.findElements(org.openqa.selenium.By.cssSelector("#engine-hadoop .engine a[target=_blank]")).isEmpty());
      io.trellis.acceptance.ui.Chromium.shot(browser, "engines-mixed");
    } finally {
      browser.quit();
    }
  }

  private void startCluster() throws Exception {
    dir = Files.createTempDirectory("trellis-mixed-");
    marker = "-Dtrellis.test.cluster=" + dir.getFileName();
    zk = new TestingServer(true);
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0).withPreemption(
        io.trellis.master.PreemptionConfig.DEFAULTS.withMode(io.trellis.allocator.preemption.PreemptionMode.FAIR_SHARE)
            .withGrace(Duration.ofSeconds(GRACE_SECONDS))), zkSpec());
    detector = MasterDetectors.from(zkSpec());
    operator = new OperatorClient(detector);
    services = ServicesProcess.start(zkSpec(), null, "*", "127.0.0.1", 0);
    jobs = io.trellis.jobs.framework.JobsFramework.start(
        io.trellis.jobs.framework.JobsConfig.of(zkSpec()).withPort(0).withRole(JOBS_ROLE));
    trellis = dir.resolve("trellis");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.writeString(trellis, "#!/bin/sh\nexport TRELLIS_MASTER='" + master.endpoint() + "'\n"
        + "export TRELLIS_HADOOP_JAVA_OPTS='" + marker + "'\n"
        + "exec '" + java + "' -Xmx128m " + marker + " -cp '" + System.getProperty("java.class.path")
        + "' io.trellis.cli.Trellis \"$@\"\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(trellis, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** Three agents at once, once every framework waits for resources. */
  private void startAgents() throws Exception {
    for (int i = 0; i < 3; i++) {
      long base = StormCluster.freeRange(60);
      String resources = AGENT + ";ports:[" + base + "-" + (base + 59) + "]";
      AgentConfig config = AgentConfig.of(zkSpec(), dir.resolve("agent" + i)).withPort(0).withResources(resources);
      agents.add(AgentProcess.start(config, Resources.parse(resources), Attributes.NONE, MasterDetectors.from(zkSpec())));
    }
    awaitTrue("three agents registered", () -> count(operator.state().path("agents"), "reachable") == 3, 60);
  }

  /**
   * The master's {@code /api/v1/state} with a 20 s limit, tried again on a timeout: under this load
   * a state call through the client library once waited past its own 30 s limit.
   */
  private JsonNode state() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master.endpoint()
            + "/api/v1/state")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return io.trellis.api.Json.mapper().readTree(r.body());
      } catch (java.io.IOException slow) {
        if (attempt == 3) {
          throw slow;
        }
      }
    }
  }

  private String zkSpec() {
    return "zk://" + zk.getConnectString() + "/trellis";
  }

  /** Live tasks' resources by role, as the largest fraction of the reachable agents' cpus or memory. */
  static Map<String, Double> dominantShares(JsonNode state) {
    double cpus = 0;
    double mem = 0;
    for (JsonNode a : state.path("agents")) {
      if (a.path("reachable").asBoolean()) {
        Resources total = Resources.parse(a.path("total").asText());
        cpus += total.scalar("cpus");
        mem += total.scalar("mem");
      }
    }
    Map<String, double[]> used = new TreeMap<>();
    for (JsonNode t : state.path("tasks")) {
      if (live(t)) {
        Resources r = Resources.parse(t.path("resources").asText());
        double[] u = used.computeIfAbsent(t.path("role").asText(), k -> new double[2]);
        u[0] += r.scalar("cpus");
        u[1] += r.scalar("mem");
      }
    }
    Map<String, Double> shares = new TreeMap<>();
    double c = cpus;
    double m = mem;
    used.forEach((role, u) -> shares.put(role, Math.round(Math.max(u[0] / c, u[1] / m) * 1000) / 1000.0));
    return shares;
  }

  static boolean live(JsonNode t) {
    return List.of("STAGING", "STARTING", "RUNNING", "KILLING").contains(t.path("state").asText());
  }

  static List<JsonNode> tasksOfRole(JsonNode state, String role) {
    List<JsonNode> out = new ArrayList<>();
    state.path("tasks").forEach(t -> {
      if (live(t) && t.path("role").asText().equals(role)) {
        out.add(t);
      }
    });
    return out;
  }

  static double median(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  static int count(JsonNode array, String flag) {
    int n = 0;
    for (JsonNode x : array) {
      n += x.path(flag).asBoolean() ? 1 : 0;
    }
    return n;
  }

  private long seconds(long t0) {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
  }

  /** {@code trellis ARGS} in the background, its output in a log file of the cluster's directory. */
  private Process background(String log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(trellis.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile())).start();
  }

  /** Runs {@code trellis ARGS} until it exits 0 (a daemon still starting fails it), up to a limit. */
  private void awaitTrellis(String what, int seconds, String... args) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() < deadline) {
      List<String> cmd = new ArrayList<>(List.of(trellis.toString()));
      cmd.addAll(List.of(args));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return;
      }
      TimeUnit.SECONDS.sleep(2);
    }
    throw new AssertionError("trellis " + what + " did not succeed within " + seconds + " s: " + last
        + "\nlogs in " + dir);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private void awaitTrue(String what, Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // No leader yet.
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "; logs in " + dir);
  }

  private String log(String name) throws Exception {
    Path p = dir.resolve(name);
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** An adapter's examples jar, packaged by the reactor before this module's tests. */
  static Path examplesJar(String adapter) throws Exception {
    Path target = Path.of("..", "adapters", adapter, "examples", "target").toAbsolutePath().normalize();
    try (var files = Files.list(target)) {
      return files.filter(f -> f.getFileName().toString().matches("trellis-" + adapter + "-examples-.*\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no examples jar in " + target));
    }
  }

  /** Words the Storm word count has counted so far. */
  static long total(Path out) throws Exception {
    return StormCluster.counts(out).values().stream().mapToLong(Long::longValue).sum();
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    if (services != null) {
      services.close();
    }
    if (jobs != null) {
      jobs.close();
    }
    for (AgentProcess a : agents) {
      a.close();
    }
    if (master != null) {
      master.close();
    }
    if (detector != null) {
      detector.close();
    }
    if (zk != null) {
      zk.close();
    }
    if (marker != null) {
      String name = dir.getFileName().toString();
      ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(name)
          || cwdUnder(p, name)).forEach(ProcessHandle::destroyForcibly);
      if (passed) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private static boolean cwdUnder(ProcessHandle p, String name) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).toString().contains(name);
    } catch (Exception gone) {
      return false;
    }
  }
}
