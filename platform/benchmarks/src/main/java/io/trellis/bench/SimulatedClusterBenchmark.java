package io.trellis.bench;

import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.simulator.SimulatedCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master against many simulated agents and many frameworks: how long the agents take to
 * register, how fast the frameworks fill the cluster with tasks through the scheduler API (offers
 * in, one ACCEPT per offer event out, launches to the agents, RUNNING back), what that costs the
 * master in CPU, and whether every agent stayed reachable meanwhile. Nothing runs on the agents,
 * so the figures are the master's and the protocol's.
 *
 * <p>The master runs in a process of its own ({@link BenchMaster}): its CPU time is that
 * process' (read through {@link ProcessHandle}), apart from the simulator and the frameworks,
 * which run here. The count of RUNNING tasks and of agents marked unreachable are the master's
 * own metrics.
 */
public final class SimulatedClusterBenchmark {
  static final String AGENT = "cpus:8;mem:32768;ports:[31000-32000]";
  static final int TASKS_PER_AGENT = 16;
  /** Stricter than the default 75 s: a heartbeat held up this long shows as an unreachable agent. */
  static final int AGENT_TIMEOUT_SECONDS = 15;

  public static void main(String[] args) throws Exception {
    int agents = 1000;
    int tasks = 10_000;
    int frameworks = 100;
    boolean kill = false;
    int rounds = 8;
    for (String a : args) {
      if (a.startsWith("--agents=")) {
        agents = Integer.parseInt(a.substring("--agents=".length()));
      } else if (a.startsWith("--tasks=")) {
        tasks = Integer.parseInt(a.substring("--tasks=".length()));
      } else if (a.startsWith("--frameworks=")) {
        frameworks = Integer.parseInt(a.substring("--frameworks=".length()));
      } else if (a.startsWith("--rounds=")) {
        rounds = Integer.parseInt(a.substring("--rounds=".length()));
      } else if (a.equals("--kill")) {
        kill = true;
      } else {
        System.err.println("usage: bench-simulated [--agents=1000] [--tasks=10000] [--frameworks=100] [--rounds=8] [--kill]");
        System.exit(2);
      }
    }
    int capacity = agents * TASKS_PER_AGENT;
    if (tasks > capacity || tasks < frameworks || frameworks < 1) {
      System.err.println("--tasks=" + tasks + " must fit on " + agents + " agents of " + AGENT + " (at most " + capacity
          + ") and give each of the " + frameworks + " frameworks at least one");
      System.exit(2);
    }
    if (rounds < 1) {
      System.err.println("--rounds=" + rounds + " must be at least 1");
      System.exit(2);
    }
    run(agents, tasks, frameworks, rounds, kill);
  }

  static void run(int agents, int tasks, int frameworks, int rounds, boolean kill) throws Exception {
    Process masterProcess = startMaster();
    try {
      String endpoint = endpointOf(masterProcess);
      OperatorClient operator = new OperatorClient(new FixedMasterDetector(endpoint));
      System.out.printf("Trellis simulated cluster benchmark: %d agents, %d frameworks, %d tasks; %d cores; master pid %d at %s"
          + " (agent timeout %d s)%n", agents, frameworks, tasks, Runtime.getRuntime().availableProcessors(),
          masterProcess.pid(), endpoint, AGENT_TIMEOUT_SECONDS);
      double cpuAtStart = cpuSeconds(masterProcess);
      long start = System.nanoTime();
      try (SimulatedCluster sim = SimulatedCluster.start(endpoint, agents, AGENT)) {
        sim.awaitRegistered(Duration.ofMinutes(5));
        double registration = seconds(start);
        double cpuRegistered = cpuSeconds(masterProcess);
        System.out.printf("registration: %d agents in %.2f s = %.0f agents/s (master CPU %.1f s)%n", agents, registration,
            agents / registration, cpuRegistered - cpuAtStart);
        List<BenchFramework> fws = List.of();
        List<Fill> fills = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          if (round > 1) {
            clear(fws, operator, sim);
          }
          String which = rounds == 1 ? "" : round == 1 ? " (round 1 of " + rounds + ", the master's JVM still cold)"
              : " (round " + round + " of " + rounds + ", warm master)";
          Fill f = fill(endpoint, "r" + round, agents, tasks, frameworks, masterProcess, operator, sim, which);
          fws = f.frameworks();
          fills.add(f);
        }
        if (rounds > 1) {
          // The warm figure: the median of the last three rounds (or of the rounds after the first).
          List<Fill> warm = new ArrayList<>(fills.subList(Math.max(1, fills.size() - 3), fills.size()));
          warm.sort(java.util.Comparator.comparingDouble(Fill::rate));
          Fill median = warm.get(warm.size() / 2);
          System.out.printf("summary: first fill after the master started %.0f tasks/s (%.1f us of master CPU per task);"
              + " warm (median of rounds %d-%d) %.0f tasks/s (%.1f us per task), those rounds %.0f-%.0f tasks/s%n",
              fills.get(0).rate(), fills.get(0).masterMicrosPerTask(), Math.max(2, rounds - 2), rounds, median.rate(),
              median.masterMicrosPerTask(), warm.get(0).rate(), warm.get(warm.size() - 1).rate());
        }
        if (kill) {
          killAll(fws, tasks);
        }
        Metrics m = Metrics.read(operator);
        System.out.printf("agents marked unreachable during the run: %d (must be 0); registered with the master now: %d of %d;"
            + " frameworks subscribed again: %d times%n", m.unreachable, m.reachable, agents,
            fws.stream().mapToInt(BenchFramework::resubscriptions).sum());
        System.out.printf("heartbeats: %d sent, %d more than 1 s late (at most %d ms late), answered within %d ms%n",
            sim.heartbeatsSent(), sim.heartbeatsLate(), sim.heartbeatMaxLateMillis(), sim.heartbeatMaxAnswerMillis());
        for (BenchFramework f : fws) {
          f.close();
        }
        if (m.unreachable != 0) {
          throw new IllegalStateException(m.unreachable + " agents were marked unreachable while they heartbeat");
        }
      }
    } finally {
      masterProcess.getOutputStream().close();
      masterProcess.destroy();
      masterProcess.waitFor();
    }
  }

  /**
   * One fill: {@code frameworks} new frameworks launch {@code tasks} tasks between them; prints
   * the fill's time, rate and the master's CPU per task, and checks the master counts them all.
   */
  /** One fill's frameworks and figures. */
  private record Fill(List<BenchFramework> frameworks, double rate, double masterMicrosPerTask) {}

  private static Fill fill(String endpoint, String prefix, int agents, int tasks, int frameworks,
      Process masterProcess, OperatorClient operator, SimulatedCluster sim, String which) throws InterruptedException {
    List<BenchFramework> fws = new ArrayList<>();
    double cpuBefore = cpuSeconds(masterProcess);
    double ownBefore = ownCpuSeconds();
    long start = System.nanoTime();
    for (int i = 0; i < frameworks; i++) {
      int quota = tasks / frameworks + (i < tasks % frameworks ? 1 : 0);
      fws.add(BenchFramework.start(endpoint, "bench-" + prefix + "-" + i, quota));
    }
    awaitRunning(fws, tasks, operator, sim, start);
    double fill = seconds(start);
    double cpuFilled = cpuSeconds(masterProcess);
    double own = ownCpuSeconds() - ownBefore;
    double microsPerTask = (cpuFilled - cpuBefore) * 1e6 / tasks;
    Metrics m = Metrics.read(operator);
    long offers = fws.stream().mapToLong(BenchFramework::offersSeen).sum();
    long accepts = fws.stream().mapToLong(BenchFramework::acceptCalls).sum();
    System.out.printf("fill%s: %d tasks RUNNING in %.2f s = %.0f tasks/s through the scheduler API (%d offers, %d ACCEPT calls)%n",
        which, tasks, fill, tasks / fill, offers, accepts);
    System.out.printf("master CPU: %.1f s for the fill = %.1f us per task (process CPU time of the master's JVM);"
        + " simulated agents and frameworks: %.1f s (this process)%n",
        cpuFilled - cpuBefore, microsPerTask, own);
    System.out.printf("check: master counts %d tasks RUNNING (expected %d), simulator %d; agents marked unreachable: %d%n",
        m.running, tasks, sim.running(), m.unreachable);
    if (m.running != tasks) {
      throw new IllegalStateException("the master counts " + m.running + " tasks RUNNING, not " + tasks);
    }
    return new Fill(fws, tasks / fill, microsPerTask);
  }

  /**
   * Ends the frameworks of a round (TEARDOWN: the master kills their tasks) and waits until
   * neither the master nor the agents count a task running, so the next round starts on an
   * empty cluster.
   */
  private static void clear(List<BenchFramework> fws, OperatorClient operator, SimulatedCluster sim)
      throws InterruptedException {
    long start = System.nanoTime();
    for (BenchFramework f : fws) {
      f.close();
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (Metrics.read(operator).running > 0 || sim.running() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("tasks still running 5 min after their frameworks tore down: master "
            + Metrics.read(operator).running + ", agents " + sim.running());
      }
      Thread.sleep(50);
    }
    System.out.printf("teardown: every task of the round ended in %.2f s%n", seconds(start));
  }

  /** Waits until the frameworks saw every task RUNNING, printing progress every 5 s. */
  private static void awaitRunning(List<BenchFramework> fws, int tasks, OperatorClient operator, SimulatedCluster sim,
      long start) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    long nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      long running = fws.stream().mapToLong(BenchFramework::running).sum();
      if (running >= tasks) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException((tasks - running) + " of " + tasks + " tasks did not reach RUNNING within 10 min");
      }
      if (System.nanoTime() > nextReport) {
        nextReport += Duration.ofSeconds(5).toNanos();
        Metrics m = Metrics.read(operator);
        System.err.printf("  %.0f s: %d tasks RUNNING for the frameworks, %d for the master, %d on the agents;"
            + " %d agents marked unreachable; %d heartbeats sent, %d late (at most %d ms), answered within %d ms%n", seconds(start),
            running, m.running, sim.running(), m.unreachable, sim.heartbeatsSent(), sim.heartbeatsLate(),
            sim.heartbeatMaxLateMillis(), sim.heartbeatMaxAnswerMillis());
      }
      Thread.sleep(10);
    }
  }

  private static void killAll(List<BenchFramework> fws, int tasks) throws InterruptedException {
    long start = System.nanoTime();
    int rounds = 0;
    // As frameworks do, kills not answered in a while are sent again.
    while (fws.stream().mapToLong(BenchFramework::running).sum() > 0) {
      if (++rounds > 20) {
        throw new IllegalStateException("tasks were not KILLED after " + rounds + " rounds of kills");
      }
      for (BenchFramework f : fws) {
        f.killAll();
      }
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until && fws.stream().mapToLong(BenchFramework::running).sum() > 0) {
        Thread.sleep(10);
      }
    }
    double kill = seconds(start);
    System.out.printf("kill: %d tasks KILLED in %.2f s = %.0f tasks/s (%d rounds of kills)%n", tasks, kill, tasks / kill, rounds);
  }

  /** What the master's metrics say. */
  private record Metrics(long running, long unreachable, long reachable) {
    private static final Pattern RUNNING = Pattern.compile("^trellis_tasks\\{state=\"RUNNING\",?\\} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern UNREACHABLE = Pattern.compile("^trellis_agents_marked_unreachable_total (\\S+)$", Pattern.MULTILINE);
    private static final Pattern REACHABLE = Pattern.compile("^trellis_agents\\{state=\"reachable\",?\\} (\\S+)$", Pattern.MULTILINE);

    static Metrics read(OperatorClient operator) {
      String text = operator.metrics();
      return new Metrics(value(RUNNING, text), value(UNREACHABLE, text), value(REACHABLE, text));
    }

    private static long value(Pattern p, String text) {
      Matcher m = p.matcher(text);
      if (!m.find()) {
        throw new IllegalStateException("the master's metrics lack " + p.pattern());
      }
      return (long) Double.parseDouble(m.group(1));
    }
  }

  /** Starts {@link BenchMaster} with this JVM's class path. */
  private static Process startMaster() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    // The common pool's size as `trellis` sets it (see Trellis.commonPoolParallelism): with one
    // thread, the JDK's HTTP client starts a new thread for every answer it completes.
    List<String> command = new ArrayList<>(List.of(java, "-Xmx3g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism="
        + Math.max(4, Runtime.getRuntime().availableProcessors())));
    String extra = System.getProperty("bench.master.jvm");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMaster.class.getName(),
        Integer.toString(AGENT_TIMEOUT_SECONDS)));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static String endpointOf(Process master) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("endpoint=")) {
        return line.substring("endpoint=".length());
      }
    }
    throw new IllegalStateException("the master process ended before it served (exit " + master.exitValue() + ")");
  }

  private static double cpuSeconds(Process p) {
    return p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9)
        .orElseThrow(() -> new IllegalStateException("this platform does not report the CPU time of process " + p.pid()));
  }

  private static double ownCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
