package io.trellis.bench;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.simulator.SimulatedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A master against many simulated agents: how long the agents take to register, how fast a
 * framework fills the cluster with tasks (offers in, launches out, RUNNING back), and how fast it
 * kills them all. Nothing runs on the agents, so the figures are the master's and the protocol's.
 */
public final class SimulatedClusterBenchmark {
  private static final String AGENT = "cpus:8;mem:32768;ports:[31000-32000]";
  private static final String TASK = "cpus:0.5;mem:512";

  private final AtomicInteger toLaunch = new AtomicInteger();
  private final AtomicLong offersSeen = new AtomicLong();
  private volatile CountDownLatch running = new CountDownLatch(0);
  private volatile CountDownLatch killed = new CountDownLatch(0);
  /** Running tasks by id, with their agent. */
  private final Map<String, String> live = new java.util.concurrent.ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int agents = 1000;
    int tasks = 10_000;
    for (String a : args) {
      if (a.startsWith("--agents=")) {
        agents = Integer.parseInt(a.substring("--agents=".length()));
      } else if (a.startsWith("--tasks=")) {
        tasks = Integer.parseInt(a.substring("--tasks=".length()));
      } else {
        System.err.println("usage: bench-simulated [--agents=1000] [--tasks=10000]");
        System.exit(2);
      }
    }
    int capacity = agents * 16;
    if (tasks > capacity) {
      System.err.println("--tasks=" + tasks + " does not fit on " + agents + " agents of " + AGENT + " (at most " + capacity + ")");
      System.exit(2);
    }
    new SimulatedClusterBenchmark().run(agents, tasks);
  }

  void run(int agents, int tasks) throws Exception {
    try (MasterProcess master = MasterProcess.standalone(MasterConfig.defaults().withPort(0))) {
      long start = System.nanoTime();
      try (SimulatedCluster sim = SimulatedCluster.start(master.endpoint(), agents, AGENT)) {
        sim.awaitRegistered(Duration.ofMinutes(5));
        double registration = seconds(start);
        System.out.printf("Trellis simulated cluster benchmark: %d cores, master %s%n",
            Runtime.getRuntime().availableProcessors(), master.endpoint());
        System.out.printf("registration: %d agents in %.2f s = %.0f agents/s%n", agents, registration, agents / registration);
        SchedulerClient client = SchedulerClient.start(new FixedMasterDetector(master.endpoint()),
            new FrameworkInfo(null, "simulated-bench", "bench", List.of("*"), 0.0, null), new Scheduler() {
              @Override
              public void offers(SchedulerClient c, List<OfferInfo> offers) {
                offersSeen.addAndGet(offers.size());
                launch(c, offers);
              }

              @Override
              public void update(SchedulerClient c, TaskStatus s) {
                if (s.state() == TaskState.RUNNING && s.healthy() == null
                    && live.putIfAbsent(s.taskId(), s.agentId()) == null) {
                  running.countDown();
                } else if (s.state() == TaskState.KILLED && live.remove(s.taskId()) != null) {
                  killed.countDown();
                }
              }
            });
        client.awaitSubscribed(Duration.ofSeconds(30));
        running = new CountDownLatch(tasks);
        start = System.nanoTime();
        toLaunch.set(tasks);
        client.revive(List.of());
        if (!running.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException(running.getCount() + " tasks did not reach RUNNING within 10 min");
        }
        double fill = seconds(start);
        System.out.printf("fill: %d tasks RUNNING in %.2f s = %.0f tasks/s (%d offers seen; simulator counts %d running)%n",
            tasks, fill, tasks / fill, offersSeen.get(), sim.running());
        killed = new CountDownLatch(tasks);
        start = System.nanoTime();
        // As frameworks do, kills not answered in a while are sent again.
        int rounds = 0;
        while (!killed.await(rounds == 0 ? 0 : 30, TimeUnit.SECONDS)) {
          if (++rounds > 20) {
            throw new IllegalStateException(killed.getCount() + " tasks were not KILLED after " + rounds + " rounds of kills");
          }
          Map<String, String> left = Map.copyOf(live);
          for (Map.Entry<String, String> t : left.entrySet()) {
            client.kill(t.getKey(), t.getValue());
          }
        }
        double kill = seconds(start);
        System.out.printf("kill: %d tasks KILLED in %.2f s = %.0f tasks/s (%d rounds of kills)%n", tasks, kill,
            tasks / kill, rounds);
        client.teardown();
        client.close();
      }
    }
  }

  private void launch(SchedulerClient c, List<OfferInfo> offers) {
    List<String> decline = new ArrayList<>();
    Resources one = Resources.parse(TASK);
    for (OfferInfo o : offers) {
      Resources left = Resources.parse(o.resources());
      List<TaskSpec> batch = new ArrayList<>();
      while (left.contains(one) && toLaunch.get() > 0) {
        int n = toLaunch.decrementAndGet();
        if (n < 0) {
          break;
        }
        batch.add(new TaskSpec("t-" + n, "t-" + n, o.agentId(), TASK, CommandSpec.shell("serve"), Map.of(), null, null));
        left = left.minus(one);
      }
      if (batch.isEmpty()) {
        decline.add(o.id());
      } else {
        c.accept(List.of(o.id()), batch, 0.0);
      }
    }
    if (!decline.isEmpty()) {
      c.decline(decline, 60.0);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
