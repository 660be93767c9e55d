package io.trellis.services.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.Json;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.ClosedSetup;
import io.trellis.services.ServicesProcess;
import io.trellis.simulator.SimulatedCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.curator.test.TestingServer;

/**
 * Deploys an app of {@code --instances} {@code sleep} instances (tiny cpus and mem) through the
 * {@code /v2} API and times until all are RUNNING, as the API reports them:
 *
 * <ul>
 *   <li><b>local agent</b>: one real agent in this JVM running real processes;
 *   <li><b>simulated agents</b>: {@code --agents} simulated agents that report RUNNING without
 *       running anything, so the figure is the framework's and the master's own cost.
 * </ul>
 *
 * ZooKeeper, master, agents and the services framework run in this JVM and talk HTTP on
 * loopback as across machines.
 */
public final class ServicesBenchmark {
  /** What protects the calls: open unless {@code --secure}. */
  private static ClosedSetup setup = ClosedSetup.OPEN;
  private static HttpClient http;

  /**
   * One measured deployment.
   *
   * @param runningCpuSeconds the CPU time this JVM spent until all were RUNNING (every thread:
   *     ZooKeeper, master, agents, framework), a figure less sensitive than wall time to other
   *     work on the machine
   */
  public record Result(String scenario, int instances, double allRunningSeconds, double stopSeconds,
      double runningCpuSeconds) {}

  public static void main(String[] args) throws Exception {
    int instances = 1000;
    int agents = 1000;
    String only = "all";
    boolean secure = false;
    for (String a : args) {
      if (a.startsWith("--instances=")) {
        instances = Integer.parseInt(a.substring("--instances=".length()));
      } else if (a.startsWith("--agents=")) {
        agents = Integer.parseInt(a.substring("--agents=".length()));
      } else if (a.startsWith("--rounds=")) {
        rounds = Integer.parseInt(a.substring("--rounds=".length()));
      } else if (a.startsWith("--scenario=")) {
        only = a.substring("--scenario=".length());
      } else if (a.equals("--secure")) {
        secure = true;
      } else {
        System.err.println("usage: bench-services [--instances=1000] [--agents=1000] [--scenario=all|local|simulated] [--rounds=1] [--secure]");
        System.exit(2);
      }
    }
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.SEVERE);
    setup = secure ? ClosedSetup.in(Files.createTempDirectory("trellis-bench-security-")) : ClosedSetup.OPEN;
    System.out.println("calls: " + setup.describe());
    System.out.printf("%-18s %9s %16s %12s %14s%n", "scenario", "instances", "all RUNNING s", "stopped s", "RUNNING cpu s");
    if (!only.equals("simulated")) {
      print(localAgent(instances));
    }
    if (!only.equals("local")) {
      print(simulatedAgents(instances, agents));
    }
    System.exit(0);
  }

  static void print(Result r) {
    System.out.printf("%-18s %9d %16.2f %12.2f %14.2f%n", r.scenario(), r.instances(), r.allRunningSeconds(), r.stopSeconds(),
        r.runningCpuSeconds());
  }

  public static Result localAgent(int instances) throws Exception {
    Path dir = Files.createTempDirectory("trellis-bench-services-");
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      try (MasterProcess master = master(zkSpec)) {
        String resources = "cpus:" + Math.max(4, instances / 100 + 1) + ";mem:" + (instances * 2 + 1024) + ";disk:1000;ports:[31000-31010]";
        AgentConfig config = new AgentConfig(zkSpec, "127.0.0.1", 0, dir.resolve("agent"), resources, "",
            Duration.ofSeconds(2), Duration.ofSeconds(1), setup.isOpen() ? Map.of()
                : Map.of(AgentConfig.CLUSTER_KEY_FILE, setup.clusterKeyFile().toString()));
        try (AgentProcess agent = AgentProcess.start(config, Resources.parse(resources), Attributes.NONE,
            MasterDetectors.from(zkSpec), setup.transport("agent"), setup.serverSecurity())) {
          return measure("local agent", zkSpec, instances);
        }
      }
    }
  }

  public static Result simulatedAgents(int instances, int agents) throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      try (MasterProcess master = master(zkSpec);
          SimulatedCluster sim = SimulatedCluster.start(
              io.trellis.simulator.SimulatorConfig.of(zkSpec, agents, "cpus:8;mem:32768;ports:[31000-32000]"),
              setup.client("agent"), setup.serverContext())) {
        sim.awaitRegistered(Duration.ofMinutes(2));
        return measure(agents + " simulated", zkSpec, instances);
      }
    }
  }

  private static MasterProcess master(String zkSpec) throws IOException {
    return MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec, setup.transport("master"),
        setup.serverSecurity(), setup.clusterKey());
  }

  /** Rounds of deploy and delete in one cluster: the first runs on a cold JVM, the later ones warm. */
  static int rounds = 1;

  static Result measure(String scenario, String zkSpec, int instances) throws Exception {
    try (ServicesProcess services = ServicesProcess.start(zkSpec, null, "*", "127.0.0.1", 0, setup.transport("services"),
        setup.serverSecurity())) {
      Result last = null;
      for (int round = 1; round <= rounds; round++) {
        last = round(services, rounds == 1 ? scenario : scenario + " #" + round, instances, "/bench/sleep" + round);
        if (round < rounds) {
          print(last);
        }
      }
      return last;
    }
  }

  private static Result round(ServicesProcess services, String scenario, int instances, String appId) throws Exception {
    String base = setup.client("admin").url("127.0.0.1:" + services.port());
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (services.framework() == null || services.framework().master() == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the services framework did not subscribe within 1 min");
      }
      Thread.sleep(20);
    }
    String app = """
        {"id": "%s", "cmd": "sleep 3600", "instances": %d, "cpus": 0.001, "mem": 1,
         "portDefinitions": []}""".formatted(appId, instances);
    long cpuStart = cpuNanos();
    long start = System.nanoTime();
    send(base, "POST", "/v2/apps", app, 201);
    await(base, n -> n == instances, "all " + instances + " RUNNING");
    double running = (System.nanoTime() - start) / 1e9;
    double cpu = (cpuNanos() - cpuStart) / 1e9;
    long stop = System.nanoTime();
    send(base, "DELETE", "/v2/apps" + appId + "?force=true", null, 200);
    long end = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!send(base, "GET", "/v2/tasks", null, 200).path("tasks").isEmpty()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("instances still running 5 min after the delete");
      }
      Thread.sleep(20);
    }
    double stopped = (System.nanoTime() - stop) / 1e9;
    return new Result(scenario, instances, running, stopped, cpu);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void await(String base, IntPredicate done, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      JsonNode apps = send(base, "GET", "/v2/apps?id=/bench/sleep", null, 200).path("apps");
      int running = apps.size() == 0 ? 0 : apps.get(0).path("tasksRunning").asInt();
      if (done.test(running)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not " + what + " within 5 min: " + running + " running");
      }
      Thread.sleep(25);
    }
  }

  private static JsonNode send(String base, String method, String path, String body, int expect) throws IOException, InterruptedException {
    if (http == null) {
      http = setup.client("admin").httpClient().version(HttpClient.Version.HTTP_1_1).build();
    }
    HttpResponse<String> r = http.send(setup.client("admin").authorize(HttpRequest.newBuilder(URI.create(base + path)))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expect) {
      throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return Json.mapper().readTree(r.body());
  }
}
