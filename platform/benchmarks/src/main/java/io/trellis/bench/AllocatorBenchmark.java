package io.trellis.bench;

import io.trellis.allocator.Allocation;
import io.trellis.allocator.AllocatorConfig;
import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.Offer;
import io.trellis.allocator.OfferListener;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.core.role.Role;
import io.trellis.testkit.SimulatedTime;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Allocator benchmarks after the scenario grids of Mesos' hierarchical allocator benchmarks.
 *
 * <ul>
 *   <li>{@code decline}: every framework declines every offer with a long filter, on every pair
 *       of agent and framework counts; agents start with 16 of their 24 cpus in use.
 *   <li>{@code quota}: 3k agents, 3k roles each with a quota guarantee and one framework that
 *       declines everything, so guarantees stay unmet and stage one runs every cycle.
 *   <li>{@code add}: time to add 10k agents with 1k frameworks registered, then the first cycle.
 * </ul>
 *
 * Each cycle is timed around {@code allocate()}, which includes turning decisions into offer
 * objects; the declines of the previous cycle's offers are timed as one batch per round. Prints
 * p50, p99 and max of both per case, the bytes allocated per offer (cycle and decline), and the
 * garbage-collection pauses that started during the case's rounds (count, longest, total).
 */
public final class AllocatorBenchmark {
  private static final Duration LONG_FILTER = Duration.ofDays(1);
  private static final Resources AGENT =
      Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
  private static final Resources USED =
      Resources.parse("cpus:16;mem:2014;disk:1024;ports:[31000-31015]");

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static GcPauses gc;

  private AllocatorBenchmark() {}

  public static void main(String[] args) {
    Options o = Options.parse(args);
    System.out.printf("Trellis allocator benchmark: %d cores, max heap %d MiB, java %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.version"));
    gc = new GcPauses();
    System.out.printf("JVM flags: %s%nGC pauses counted from: %s%n",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), gc.collectors());
    System.out.println("warming up ...");
    declineOffers(1000, 50, 100, true);
    declineOffers(5000, 200, 60, true);
    if (o.scenarios.contains("decline")) {
      header("frameworks");
      for (int agents : o.agents) {
        for (int frameworks : o.frameworks) {
          declineOffers(agents, frameworks, o.maxRounds, false);
        }
      }
    }
    if (o.scenarios.contains("quota")) {
      header("roles");
      quota(3000, 3000, o.maxRounds, false);
    }
    if (o.scenarios.contains("add")) {
      System.out.println();
      addAgents(10_000, 1000);
    }
  }

  private static void header(String clients) {
    System.out.printf("%n%-34s | %-26s | %-13s | %-20s | %-8s | %s%n", "", "allocate() cycle",
        "cycle CPU", "declines per round", "alloc", "GC pauses");
    System.out.printf("%-13s %6s %6s %5s %8s | %8s %8s %8s | %6s %6s | %6s %6s %6s | %8s | %4s %7s %8s%n",
        "scenario", "agents", clients.equals("roles") ? "roles" : "fwks", "round", "offers",
        "p50 ms", "p99 ms", "max ms", "p50 ms", "p99 ms", "p50 ms", "p99 ms", "max ms", "B/offer",
        "n", "max ms", "total ms");
  }

  /**
   * What one scenario measured: cycle and decline-batch times in nanoseconds, one per round (wall
   * clock, and the thread's CPU time per cycle: on a loaded machine the gap is time the thread
   * waited for a core or a GC pause), bytes the benchmark thread allocated in cycles and
   * declines, and the GC pauses meanwhile.
   */
  record Result(String name, int agents, int frameworks, long offers, long[] cycles,
      long[] cycleCpu, long[] declines, long allocated, GcPauses.Window pauses) {
    int rounds() {
      return cycles.length;
    }

    void print() {
      long[] c = cycles.clone();
      Arrays.sort(c);
      long[] u = cycleCpu.clone();
      Arrays.sort(u);
      long[] d = declines.clone();
      Arrays.sort(d);
      System.out.printf("%-13s %6d %6d %5d %8d | %8.2f %8.2f %8.2f | %6.2f %6.2f | %6.2f %6.2f %6.2f | %8d | %s%n",
          name, agents, frameworks, c.length, offers, ms(percentile(c, 0.50)),
          ms(percentile(c, 0.99)), ms(c[c.length - 1]), ms(percentile(u, 0.50)),
          ms(percentile(u, 0.99)), ms(percentile(d, 0.50)),
          ms(percentile(d, 0.99)), ms(percentile(d, 1.0)),
          offers == 0 ? 0 : allocated / offers, pauses == null ? "   - (not watched)" : pauses);
    }
  }

  /** Frameworks that decline every offer with a long filter, until no offer is left to make. */
  static Result declineOffers(int agentCount, int frameworkCount, int maxRounds, boolean quiet) {
    SimulatedTime time = new SimulatedTime();
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorConfig.DEFAULTS, time, time, OfferListener.NONE);
    FrameworkId[] frameworks = new FrameworkId[frameworkCount];
    for (int f = 0; f < frameworkCount; f++) {
      frameworks[f] = FrameworkId.of("framework-" + f);
      allocator.addFramework(frameworks[f], Set.of(Role.ANY), true);
    }
    for (int a = 0; a < agentCount; a++) {
      allocator.addAgent(AgentId.of("agent-" + a), "host-" + a, AGENT, Attributes.NONE,
          List.of(new Allocation(frameworks[a % frameworkCount], Role.ANY, USED)));
    }
    return run("DeclineOffers", allocator, agentCount, frameworkCount,
        Math.min(maxRounds, 2 * frameworkCount), quiet);
  }

  /** Roles with unmet guarantees whose frameworks decline everything. */
  static Result quota(int agentCount, int roleCount, int maxRounds, boolean quiet) {
    SimulatedTime time = new SimulatedTime();
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorConfig.DEFAULTS, time, time, OfferListener.NONE);
    Quota quota = Quota.of("cpus:4;mem:1024", "");
    for (int r = 0; r < roleCount; r++) {
      String role = "role-" + r;
      allocator.setQuota(role, quota);
      allocator.addFramework(FrameworkId.of("framework-" + r), Set.of(role), true);
    }
    Resources agent = Resources.parse("cpus:16;mem:4096;disk:4096;ports:[31000-32000]");
    for (int a = 0; a < agentCount; a++) {
      allocator.addAgent(AgentId.of("agent-" + a), "host-" + a, agent, Attributes.NONE, List.of());
    }
    return run("Quota", allocator, agentCount, roleCount, maxRounds, quiet);
  }

  private static Result run(String name, HierarchicalAllocator allocator, int agents, int frameworks,
      int rounds, boolean quiet) {
    System.gc();
    long[] cycles = new long[rounds];
    long[] cycleCpu = new long[rounds];
    long[] declines = new long[rounds];
    List<Offer> previous = new ArrayList<>();
    long offers = 0;
    int done = 0;
    long thread = Thread.currentThread().getId();
    long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
    long from = GcPauses.now();
    int declined = 0;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (Offer offer : previous) {
        allocator.decline(offer.id(), LONG_FILTER);
      }
      if (!previous.isEmpty()) {
        declines[declined++] = System.nanoTime() - start;
      }
      long cpu = THREADS.getCurrentThreadCpuTime();
      start = System.nanoTime();
      previous = allocator.allocate();
      cycles[r] = System.nanoTime() - start;
      cycleCpu[r] = THREADS.getCurrentThreadCpuTime() - cpu;
      offers += previous.size();
      done++;
      if (previous.isEmpty()) {
        break;
      }
    }
    long allocated = THREADS.getThreadAllocatedBytes(thread) - allocatedBefore;
    GcPauses.Window pauses = gc == null ? null : gc.between(from, GcPauses.now());
    Result result = new Result(name, agents, frameworks, offers, Arrays.copyOf(cycles, done),
        Arrays.copyOf(cycleCpu, done), Arrays.copyOf(declines, declined), allocated, pauses);
    if (!quiet) {
      result.print();
    }
    return result;
  }

  /** Registration cost of agents, then the cycle that offers all of them. */
  static void addAgents(int agentCount, int frameworkCount) {
    SimulatedTime time = new SimulatedTime();
    HierarchicalAllocator allocator =
        new HierarchicalAllocator(AllocatorConfig.DEFAULTS, time, time, OfferListener.NONE);
    for (int f = 0; f < frameworkCount; f++) {
      allocator.addFramework(FrameworkId.of("framework-" + f), Set.of(Role.ANY), true);
    }
    AgentId[] ids = new AgentId[agentCount];
    for (int a = 0; a < agentCount; a++) {
      ids[a] = AgentId.of("agent-" + a);
    }
    System.gc();
    long from = GcPauses.now();
    long start = System.nanoTime();
    for (int a = 0; a < agentCount; a++) {
      allocator.addAgent(ids[a], "host-" + a, AGENT, Attributes.NONE, List.of());
    }
    long added = System.nanoTime() - start;
    start = System.nanoTime();
    int offers = allocator.allocate().size();
    long cycle = System.nanoTime() - start;
    GcPauses.Window pauses = gc == null ? null : gc.between(from, GcPauses.now());
    System.out.printf("AddAgents: added %d agents (%d frameworks registered) in %.2f ms;"
        + " the first cycle made %d offers in %.2f ms; GC pauses meanwhile: %s%n", agentCount,
        frameworkCount, ms(added), offers, ms(cycle), pauses == null ? "not watched"
            : pauses.count() + " (longest " + pauses.maxMillis() + " ms)");
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** Command-line options: {@code --agents=1000,5000 --frameworks=1,50 --max-rounds=N --scenarios=decline,quota,add}. */
  private record Options(int[] agents, int[] frameworks, int maxRounds, Set<String> scenarios) {
    static Options parse(String[] args) {
      int[] agents = {1000, 5000, 10000, 20000, 50000};
      int[] frameworks = {1, 50, 100, 200, 500, 1000, 3000};
      int maxRounds = 200;
      Set<String> scenarios = Set.of("decline", "quota", "add");
      for (String arg : args) {
        String[] kv = arg.split("=", 2);
        if (kv.length != 2) {
          usage("expected --name=value, got '" + arg + "'");
        }
        try {
          switch (kv[0]) {
            case "--agents" -> agents = ints(kv[1]);
            case "--frameworks" -> frameworks = ints(kv[1]);
            case "--max-rounds" -> maxRounds = Integer.parseInt(kv[1]);
            case "--scenarios" -> scenarios = Set.of(kv[1].split(","));
            default -> usage("unknown option '" + kv[0] + "'");
          }
        } catch (NumberFormatException e) {
          usage("option " + kv[0] + " needs whole numbers, got '" + kv[1] + "'");
        }
      }
      return new Options(agents, frameworks, maxRounds, scenarios);
    }

    private static int[] ints(String csv) {
      return Arrays.stream(csv.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    private static void usage(String problem) {
      System.err.println("allocator benchmark: " + problem);
      System.err.println("usage: bench-allocator [--agents=1000,5000,...] [--frameworks=1,50,...]"
          + " [--max-rounds=200] [--scenarios=decline,quota,add]");
      System.exit(2);
    }
  }
}
