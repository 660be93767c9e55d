package io.trellis.jobs.bench;

import io.trellis.jobs.engine.EngineConfig;
import io.trellis.jobs.engine.Launch;
import io.trellis.jobs.framework.JobsConfig;
import io.trellis.jobs.framework.JobsFramework;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.simulator.Behaviour;
import io.trellis.simulator.SimulatedCluster;
import io.trellis.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.test.TestingServer;

/**
 * Scheduling lateness of the jobs framework: {@code --jobs} jobs (default 10,000), a tenth due at
 * the same instant and the rest spread over {@code --spread} seconds after it, each due once.
 * Lateness is the instant of the ACCEPT that launches a run minus its scheduled instant.
 * Everything is real but the agents: an embedded ZooKeeper (the job store), a master, the jobs
 * framework with its HTTP API, and simulated agents whose tasks finish after a second.
 */
public final class JobsBenchmark {
  public static void main(String[] args) throws Exception {
    int jobs = 10_000;
    int spread = 90;
    int lead = 120;
    int agents = 20;
    for (String a : args) {
      if (a.startsWith("--jobs=")) {
        jobs = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--spread=")) {
        spread = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--lead=")) {
        lead = Integer.parseInt(a.substring(7));
      } else if (a.startsWith("--agents=")) {
        agents = Integer.parseInt(a.substring(9));
      } else {
        System.err.println("usage: bench-jobs [--jobs=10000] [--spread=90] [--lead=120] [--agents=20]");
        System.exit(2);
      }
    }
    System.setProperty("zookeeper.forceSync", "no");
    java.util.logging.Logger.getLogger("org.glassfish").setLevel(java.util.logging.Level.SEVERE);
    int burst = jobs / 10;
    Map<String, Long> lateness = new ConcurrentHashMap<>();
    Set<String> burstNames = ConcurrentHashMap.newKeySet();
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      try (MasterProcess master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
          SimulatedCluster sim = SimulatedCluster.start(SimulatorConfig.of(zkSpec, agents, "cpus:200;mem:819200")
              .withBehaviour(t -> Behaviour.finishAfter(Duration.ofSeconds(1))));
          JobsFramework framework = JobsFramework.start(JobsConfig.of(zkSpec).withPort(0)
              .withEngine(EngineConfig.defaults().withRetryBackoff(Duration.ofSeconds(1))),
              (Launch l, Instant at) -> lateness.putIfAbsent(l.task().name(),
                  Duration.between(l.due(), at).toNanos() / 1000))) {
        sim.awaitRegistered(Duration.ofMinutes(2));
        while (!framework.isLeader()) {
          Thread.sleep(50);
        }
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(lead);
        long t0 = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
          String name = "bench-" + i;
          Instant due = i < burst ? base : base.plusMillis(1000 + (long) (i - burst) * spread * 1000L / (jobs - burst));
          if (i < burst) {
            burstNames.add(name);
          }
          String body = "{\"name\":\"" + name + "\",\"command\":\"true\",\"schedule\":\"R1/" + due + "/PT1H\","
              + "\"cpus\":0.01,\"mem\":1,\"retries\":0,\"concurrencyPolicy\":\"ALLOW\"}";
          posts.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + framework.endpoint()
              + "/v1/scheduler/iso8601")).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
        }
        for (Future<Integer> f : posts) {
          if (f.get() != 204) {
            throw new IllegalStateException("creating a job answered " + f.get());
          }
        }
        pool.shutdown();
        double createSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("created %d jobs in %.1f s (%.0f jobs/s) through the API%n", jobs, createSeconds, jobs / createSeconds);
        if (Instant.now().isAfter(base)) {
          System.out.println("WARNING: creation took longer than --lead=" + lead + " s; the burst was late by creation");
        }
        Instant end = base.plusSeconds(spread + 30);
        while (Instant.now().isBefore(end) && lateness.size() < jobs) {
          Thread.sleep(200);
        }
        Thread.sleep(3000);
        List<Long> all = new ArrayList<>(lateness.values());
        List<Long> burstLate = new ArrayList<>();
        for (String n : burstNames) {
          Long l = lateness.get(n);
          if (l != null) {
            burstLate.add(l);
          }
        }
        System.out.printf("%nmachine: %d cpus, %s %s, Java %s, -Xmx%dm%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
            Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%d simulated agents; %d jobs: %d due at %s, %d spread over %d s after it%n",
            agents, jobs, burst, base, jobs - burst, spread);
        System.out.printf("%-28s %8s %10s %10s %10s %8s%n", "lateness (ACCEPT - due)", "runs", "p50 ms", "p99 ms", "max ms", "missed");
        row("burst (same instant)", burstLate, burst);
        row("all jobs", all, jobs);
        System.out.printf("simulated agents launched %d tasks, %d finished%n", sim.launched(), sim.finished());
      }
    }
    System.exit(0);
  }

  private static void row(String label, List<Long> micros, int expected) {
    micros.sort(null);
    System.out.printf("%-28s %8d %10.1f %10.1f %10.1f %8d%n", label, micros.size(), pct(micros, 50), pct(micros, 99),
        micros.isEmpty() ? 0.0 : micros.get(micros.size() - 1) / 1000.0, expected - micros.size());
  }

  private static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1)) / 1000.0;
  }
}
