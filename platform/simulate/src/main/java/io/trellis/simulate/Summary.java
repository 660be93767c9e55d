package io.trellis.simulate;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The figures an operator reads first, computed from an {@link Outcome}, and printed as a table. */
public final class Summary {
  /** Wait-time percentiles in seconds. */
  public record Waits(int tasks, double p50, double p90, double p99, double max) {
    static Waits of(List<Long> millis) {
      long[] sorted = millis.stream().mapToLong(Long::longValue).sorted().toArray();
      return new Waits(sorted.length, pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
    }

    private static double pct(long[] sorted, double p) {
      if (sorted.length == 0) {
        return 0;
      }
      int i = (int) Math.ceil(p * sorted.length) - 1;
      return sorted[Math.max(0, i)] / 1000.0;
    }
  }

  /** Mean over the samples in which the role ran or waited for something. */
  public record Share(double achieved, double target) {}

  final Outcome outcome;
  final Map<String, Waits> waits = new TreeMap<>();
  final Map<String, Share> shares = new TreeMap<>();
  final Map<String, Double> meanUsed = new LinkedHashMap<>();
  final Map<String, Double> peakUsed = new LinkedHashMap<>();
  final Waits gangWaits;

  public Summary(Outcome outcome) {
    this.outcome = outcome;
    Map<String, List<Long>> byRole = new TreeMap<>();
    List<Long> gangs = new ArrayList<>();
    for (Placement p : outcome.placements()) {
      byRole.computeIfAbsent(p.role(), r -> new ArrayList<>()).add(p.waitMillis());
      if (p.gang()) {
        gangs.add(p.waitMillis());
      }
    }
    byRole.forEach((role, list) -> waits.put(role, Waits.of(list)));
    gangWaits = Waits.of(gangs);
    Map<String, double[]> sums = new TreeMap<>();
    for (Outcome.Sample s : outcome.samples()) {
      s.used().forEach((name, v) -> {
        meanUsed.merge(name, v / outcome.samples().size(), Double::sum);
        peakUsed.merge(name, v, Math::max);
      });
      s.target().forEach((role, target) -> {
        double achieved = s.share().getOrDefault(role, 0.0);
        if (target > 0 || achieved > 0) {
          double[] sum = sums.computeIfAbsent(role, r -> new double[3]);
          sum[0] += achieved;
          sum[1] += target;
          sum[2]++;
        }
      });
    }
    sums.forEach((role, sum) -> shares.put(role, new Share(sum[0] / sum[2], sum[1] / sum[2])));
  }

  public Map<String, Waits> waits() {
    return waits;
  }

  public Map<String, Share> shares() {
    return shares;
  }

  public Waits gangWaits() {
    return gangWaits;
  }

  public void print(PrintStream out) {
    out.printf(Locale.ROOT, "simulated %s, %d tasks placed%s%n", duration(outcome.endMillis()),
        outcome.placements().size(), outcome.cutShort() ? " (stopped at --max-hours with work left)" : "");
    out.println();
    out.println("UTILISATION      mean    peak");
    meanUsed.forEach((name, mean) -> out.printf(Locale.ROOT, "  %-12s %6.1f%% %6.1f%%%n", name, 100 * mean,
        100 * peakUsed.get(name)));
    out.println();
    out.println("ROLE             tasks   wait p50   wait p90   wait p99   share  target  preempted");
    for (String role : allRoles()) {
      Waits w = waits.getOrDefault(role, Waits.of(List.of()));
      Share s = shares.getOrDefault(role, new Share(0, 0));
      out.printf(Locale.ROOT, "  %-12s %7d %9.1fs %9.1fs %9.1fs  %5.3f   %5.3f  %9d%n", clip(role), w.tasks(), w.p50(),
          w.p90(), w.p99(), s.achieved(), s.target(), outcome.preempted().getOrDefault(role, 0L));
    }
    out.println();
    out.printf(Locale.ROOT, "GANGS  %d members placed; wait p50 %.1fs, p90 %.1fs, p99 %.1fs, max %.1fs%n",
        gangWaits.tasks(), gangWaits.p50(), gangWaits.p90(), gangWaits.p99(), gangWaits.max());
    long preempted = outcome.preempted().values().stream().mapToLong(Long::longValue).sum();
    out.printf("PREEMPTIONS  %d tasks%n", preempted);
    int never = outcome.neverPlaced().stream().mapToInt(Outcome.NeverPlaced::tasks).sum();
    out.printf("NEVER PLACED  %d tasks%n", never);
    outcome.neverPlaced().stream().limit(10).forEach(n -> out.printf("  %d x %s of %s (role %s): %s%n", n.tasks(),
        n.shape(), clip(n.framework()), n.role(), n.reason()));
    if (outcome.neverPlaced().size() > 10) {
      out.printf("  ... and %d more groups (see the report)%n", outcome.neverPlaced().size() - 10);
    }
  }

  List<String> allRoles() {
    TreeMap<String, Boolean> all = new TreeMap<>();
    waits.keySet().forEach(r -> all.put(r, true));
    shares.keySet().forEach(r -> all.put(r, true));
    outcome.preempted().keySet().forEach(r -> all.put(r, true));
    return List.copyOf(all.keySet());
  }

  static String clip(String s) {
    return s.length() <= 24 ? s : s.substring(0, 21) + "...";
  }

  static String duration(long millis) {
    long s = millis / 1000;
    return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }
}
