package io.trellis.bench;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.security.ClosedSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Submit-to-RUNNING latency of process tasks on a local agent, and launch throughput. A master
 * and an agent run in this JVM on loopback, talking HTTP as they do across machines; a framework
 * built on the client library launches {@code true} tasks through real processes (and cgroups,
 * where the host has them).
 *
 * <p>Latency: one task at a time, from the ACCEPT call to the RUNNING update, over {@code --tasks}
 * tasks. Throughput: {@code --tasks} tasks launched as fast as offers allow, until all are RUNNING.
 */
public final class LaunchBenchmark {
  private static final String TASK = "cpus:0.01;mem:32";

  private final BlockingQueue<OfferInfo> offers = new LinkedBlockingQueue<>();
  private final Map<String, Long> runningAt = new ConcurrentHashMap<>();
  private volatile CountDownLatch running = new CountDownLatch(0);

  public static void main(String[] args) throws Exception {
    int tasks = 1000;
    boolean secure = false;
    for (String a : args) {
      if (a.startsWith("--tasks=")) {
        tasks = Integer.parseInt(a.substring("--tasks=".length()));
      } else if (a.equals("--secure")) {
        secure = true;
      } else {
        System.err.println("usage: bench-launch [--tasks=1000] [--secure]");
        System.exit(2);
      }
    }
    new LaunchBenchmark().run(tasks, secure);
  }

  void run(int tasks, boolean secure) throws Exception {
    Path work = Files.createTempDirectory("trellis-launch-bench-");
    ClosedSetup setup = secure ? ClosedSetup.in(work.resolve("security")) : ClosedSetup.OPEN;
    AgentConfig agentConfig = AgentConfig.of("", work).withPort(0).withResources("");
    if (secure) {
      agentConfig = agentConfig.withSettings(Map.of(AgentConfig.CLUSTER_KEY_FILE, setup.clusterKeyFile().toString()));
    }
    try (MasterProcess master = MasterProcess.standalone(MasterConfig.defaults().withPort(0), setup.transport("master"),
            setup.serverSecurity(), setup.clusterKey());
        AgentProcess agent = AgentProcess.start(agentConfig,
            Resources.parse("cpus:64;mem:65536;disk:1000;ports:[31000-32000]"), Attributes.NONE,
            new FixedMasterDetector(master.endpoint()), setup.transport("agent"), setup.serverSecurity())) {
      SchedulerClient client = SchedulerClient.start(new FixedMasterDetector(master.endpoint()), setup.client("admin"),
          new FrameworkInfo(null, "launch-bench", "bench", List.of("*"), 0.0, null), new Scheduler() {
            @Override
            public void offers(SchedulerClient c, List<OfferInfo> o) {
              offers.addAll(o);
            }

            @Override
            public void update(SchedulerClient c, TaskStatus s) {
              if (s.state() == TaskState.RUNNING && runningAt.putIfAbsent(s.taskId(), System.nanoTime()) == null) {
                running.countDown();
              }
            }
          });
      client.awaitSubscribed(Duration.ofSeconds(30));
      System.out.printf("Trellis launch benchmark: %d cores, master %s, agent %s, %s%n",
          Runtime.getRuntime().availableProcessors(), master.endpoint(), agent.endpoint(), setup.describe());
      System.out.println("warming up (100 tasks) ...");
      latency(client, "warm", 100);
      long[] latencies = latency(client, "lat", tasks);
      Arrays.sort(latencies);
      System.out.printf("submit-to-RUNNING over %d tasks: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", tasks,
          latencies[(int) Math.ceil(0.5 * tasks) - 1] / 1e6, latencies[(int) Math.ceil(0.99 * tasks) - 1] / 1e6,
          latencies[tasks - 1] / 1e6);
      double seconds = throughput(client, tasks);
      System.out.printf("throughput: %d tasks RUNNING in %.2f s = %.0f tasks/s%n", tasks, seconds, tasks / seconds);
      client.teardown();
    }
  }

  /** One task at a time: the time from ACCEPT to RUNNING, per task. */
  private long[] latency(SchedulerClient client, String prefix, int n) throws Exception {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      OfferInfo offer = nextOffer();
      String id = prefix + "-" + i;
      running = new CountDownLatch(1);
      long start = System.nanoTime();
      client.accept(List.of(offer.id()), List.of(task(id, offer.agentId())), 0.0);
      if (!running.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("task " + id + " did not start within 30 s");
      }
      out[i] = runningAt.get(id) - start;
      if ((i + 1) % 250 == 0) {
        System.err.printf("  %s: %d/%d tasks%n", prefix, i + 1, n);
      }
    }
    return out;
  }

  /** Launches n tasks as fast as offers allow; returns seconds until all are RUNNING. */
  private double throughput(SchedulerClient client, int n) throws Exception {
    running = new CountDownLatch(n);
    long start = System.nanoTime();
    int launched = 0;
    while (launched < n) {
      OfferInfo offer = nextOffer();
      Resources left = Resources.parse(offer.resources());
      Resources one = Resources.parse(TASK);
      List<TaskSpec> batch = new ArrayList<>();
      while (launched < n && left.contains(one)) {
        batch.add(task("tp-" + launched++, offer.agentId()));
        left = left.minus(one);
      }
      client.accept(List.of(offer.id()), batch, 0.0);
    }
    if (!running.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException(running.getCount() + " tasks did not start within 120 s");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private OfferInfo nextOffer() throws InterruptedException {
    OfferInfo o = offers.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new IllegalStateException("no offer within 30 s");
    }
    return o;
  }

  private static TaskSpec task(String id, String agentId) {
    return new TaskSpec(id, id, agentId, TASK, CommandSpec.shell("true"), Map.of(), 1.0, null);
  }

}
