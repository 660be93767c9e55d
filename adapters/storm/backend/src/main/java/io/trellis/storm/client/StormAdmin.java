package io.trellis.storm.client;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.Nimbus;
import org.apache.storm.generated.RebalanceOptions;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;

/**
 * {@code trellis storm list|kill|rebalance} in a JVM with Storm's client:
 * {@code StormAdmin <nimbus host:port> list}, {@code ... kill NAME WAIT_SECONDS},
 * {@code ... rebalance NAME WORKERS}. Exit 0 on success, 1 when Nimbus refuses or cannot be
 * reached, 3 for a topology that does not exist.
 */
public final class StormAdmin {
  private StormAdmin() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: StormAdmin <nimbus host:port> list|kill NAME WAIT|rebalance NAME WORKERS");
      return 2;
    }
    try (NimbusClient nimbus = Nimbuses.connect(args[0])) {
      Nimbus.Iface c = nimbus.getClient();
      List<String> rest = Arrays.asList(args).subList(2, args.length);
      return switch (args[1]) {
        case "list" -> list(c);
        case "kill" -> kill(c, rest.get(0), Integer.parseInt(rest.get(1)));
        case "rebalance" -> rebalance(c, rest.get(0), Integer.parseInt(rest.get(1)));
        default -> {
          System.err.println("unknown command " + args[1]);
          yield 2;
        }
      };
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println(e.getMessage());
      return 1;
    } catch (Exception e) {
      System.err.println("Nimbus refused: " + Nimbuses.rootMessage(e));
      return 1;
    }
  }

  private static int list(Nimbus.Iface c) throws Exception {
    List<TopologySummary> all = c.getTopologySummaries();
    List<org.apache.storm.generated.SupervisorSummary> sups = c.getClusterInfo().get_supervisors();
    System.out.println(sups.size() + " supervisors, " + sups.stream().mapToInt(s -> s.get_num_used_workers()).sum()
        + " of " + sups.stream().mapToInt(s -> s.get_num_workers()).sum() + " worker slots in use");
    if (all.isEmpty()) {
      System.out.println("no topologies");
      return 0;
    }
    System.out.printf("%-24s %-10s %8s %10s %8s  %s%n", "NAME", "STATUS", "WORKERS", "EXECUTORS", "UPTIME", "SCHEDULER");
    for (TopologySummary t : all) {
      System.out.printf("%-24s %-10s %8d %10d %7ds  %s%n", t.get_name(), t.get_status(), t.get_num_workers(),
          t.get_num_executors(), t.get_uptime_secs(),
          t.get_sched_status() == null ? "" : t.get_sched_status());
    }
    return 0;
  }

  private static int kill(Nimbus.Iface c, String name, int waitSeconds) throws Exception {
    if (Nimbuses.byName(c, name).isEmpty()) {
      System.err.println("no topology named '" + name + "'; 'trellis storm list' shows the running ones");
      return 3;
    }
    KillOptions options = new KillOptions();
    options.set_wait_secs(waitSeconds);
    c.killTopologyWithOpts(name, options);
    System.out.println("killing " + name + " (its spouts stop now, its workers in " + waitSeconds + " s)");
    long deadline = System.nanoTime() + (waitSeconds + 120L) * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Nimbuses.byName(c, name).isEmpty()) {
        System.out.println("killed " + name);
        return 0;
      }
      Thread.sleep(500);
    }
    System.err.println(name + " is still listed " + (waitSeconds + 120) + " s after the kill; see 'trellis storm list'");
    return 1;
  }

  private static int rebalance(Nimbus.Iface c, String name, int workers) throws Exception {
    Optional<TopologySummary> t = Nimbuses.byName(c, name);
    if (t.isEmpty()) {
      System.err.println("no topology named '" + name + "'; 'trellis storm list' shows the running ones");
      return 3;
    }
    RebalanceOptions options = new RebalanceOptions();
    options.set_num_workers(workers);
    options.set_wait_secs(0);
    c.rebalance(name, options);
    System.out.println("rebalancing " + name + " to " + workers + " workers");
    return 0;
  }
}
