package io.trellis.bench.placement;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Placements per second of the real allocator with in-memory packing frameworks, on the
 * workload of the peer benchmarks (Fenzo's S1/S2, YARN's queues x apps grid): see {@link
 * Workload} and {@link PlacementStream}. A JIT warm-up of whole 1,000-agent streams runs first,
 * then each row runs its warm-up and measured repetitions, each on a new allocator. tasks/s is
 * tasks placed over the timed time of one repetition (median and best over repetitions); batch
 * percentiles are over every measured batch. Every repetition's placements are checked; any
 * violation is printed and makes the exit status 1.
 */
public final class PlacementBenchmark {
  static final String CSV_HEAD = "hosts,roles,frameworks_per_role,frameworks,constraint,offers,"
      + "max_batches,asked,placed,tasks_per_s_median,tasks_per_s_max,batch_p50_ms,batch_p99_ms,"
      + "batch_max_ms,cycles_per_batch,gc_ms_median,violations";

  private PlacementBenchmark() {}

  public static void main(String[] args) throws IOException {
    PlacementOptions o;
    try {
      o = PlacementOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("placement benchmark: " + e.getMessage());
      System.err.println(PlacementOptions.USAGE);
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    printHeader(o);
    jitWarmup(o);
    List<Row> rows = new ArrayList<>();
    for (int hosts : o.hosts()) {
      for (boolean unique : o.uniqueHost()) {
        for (int[] cell : o.grid()) {
          for (Workload.OfferUse use : o.offers()) {
            Workload w = Workload.of(hosts, cell[0], cell[1], unique).offers(use);
            rows.add(measure(w, o));
            Integer window = o.windows().get(hosts);
            if (window != null && window < w.batches()) {
              rows.add(measure(w.window(window), o));
            }
          }
        }
      }
    }
    System.out.println();
    System.out.println("| agents | roles x frameworks | constraint | offers | stream | placed/asked | util % "
        + "| tasks/s median | tasks/s max | ms/batch p50 | ms/batch p99 | ms/batch max | cycles/batch "
        + "| GC ms/rep |");
    System.out.println("|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(r -> System.out.println(r.markdown()));
    System.out.printf(Locale.ROOT, "%ntotal run time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (o.csv() != null) {
      List<String> lines = new ArrayList<>();
      lines.add(CSV_HEAD);
      rows.forEach(r -> lines.add(r.csv()));
      Files.write(o.csv(), lines);
    }
    long broken = rows.stream().filter(r -> r.violations > 0).count();
    if (broken > 0) {
      System.out.println(broken + " rows had placements that broke a rule (see above)");
      System.exit(1);
    }
  }

  private static void jitWarmup(PlacementOptions o) {
    long start = System.nanoTime();
    for (int i = 0; i < o.jitWarmup(); i++) {
      for (boolean unique : List.of(false, true)) {
        for (int[] cell : o.grid()) {
          for (Workload.OfferUse use : o.offers()) {
            PlacementStream.run(Workload.of(1000, cell[0], cell[1], unique).offers(use));
          }
        }
      }
    }
    System.err.printf(Locale.ROOT, "[placement] JIT warm-up: %d x %d streams on 1,000 agents in %.1f s%n",
        o.jitWarmup(), 2 * o.grid().size() * o.offers().size(), (System.nanoTime() - start) / 1e9);
  }

  private static Row measure(Workload w, PlacementOptions o) {
    for (int i = 0; i < o.warmup(); i++) {
      PlacementStream.Result r = PlacementStream.run(w);
      System.err.printf(Locale.ROOT, "[%s] warm-up %d/%d: %d/%d placed, %.0f tasks/s%n", w.label(),
          i + 1, o.warmup(), r.placed(), r.asked(), r.tasksPerSecond());
    }
    List<PlacementStream.Result> runs = new ArrayList<>();
    for (int i = 0; i < o.reps(); i++) {
      PlacementStream.Result r = PlacementStream.run(w);
      runs.add(r);
      double[] ms = ms(r.batchNs());
      System.err.printf(Locale.ROOT, "[%s] rep %d/%d: %d/%d placed, %.0f tasks/s, batch median %.3f ms,"
              + " max %.3f ms, %d cycles, %d offers, %d stalls, GC %d ms (%d)%n", w.label(), i + 1, o.reps(),
          r.placed(), r.asked(), r.tasksPerSecond(), percentile(ms, 0.5), max(ms), r.cycles(),
          r.offers(), r.stalls(), r.gcMs(), r.gcCount());
      for (String v : r.violations()) {
        System.out.println("VIOLATION [" + w.label() + ", rep " + (i + 1) + "]: " + v);
      }
    }
    return Row.of(w, runs);
  }

  /** One line of the table: a workload's measured repetitions. */
  record Row(Workload w, int asked, int placed, double tpsMedian, double tpsMax, double p50,
      double p99, double maxMs, double cyclesPerBatch, double gcMs, int violations) {
    static Row of(Workload w, List<PlacementStream.Result> runs) {
      double[] tps = runs.stream().mapToDouble(PlacementStream.Result::tasksPerSecond).toArray();
      double[] batches = runs.stream().flatMapToDouble(r -> Arrays.stream(ms(r.batchNs()))).toArray();
      double[] gc = runs.stream().mapToDouble(PlacementStream.Result::gcMs).toArray();
      long cycles = runs.stream().mapToLong(PlacementStream.Result::cycles).sum();
      int placed = runs.stream().mapToInt(PlacementStream.Result::placed).min().orElse(0);
      int violations = runs.stream().mapToInt(r -> r.violations().size()).sum();
      return new Row(w, runs.get(0).asked(), placed, percentile(tps, 0.5), max(tps),
          percentile(batches, 0.5), percentile(batches, 0.99), max(batches),
          (double) cycles / Math.max(1, batches.length), percentile(gc, 0.5), violations);
    }

    String stream() {
      return w.maxBatches() > 0 ? "first " + w.maxBatches() + " batches from empty"
          : String.format(Locale.ROOT, "empty->%.0f%%, %d batches", w.fill() * 100, w.batches());
    }

    String markdown() {
      double util = 100.0 * placed * Shape.TASK.cpus() / (w.hosts() * Shape.HOST.cpus());
      return String.format(Locale.ROOT, "| %,d | %d x %d | %s | %s | %s | %,d/%,d | %.1f | %,.0f | %,.0f "
              + "| %.3f | %.3f | %.3f | %.2f | %.0f |", w.hosts(), w.roles(), w.frameworksPerRole(),
          w.uniqueHost() ? "unique host per app" : "none", w.offers().name().toLowerCase(Locale.ROOT),
          stream(), placed, asked, util, tpsMedian, tpsMax, p50, p99, maxMs, cyclesPerBatch, gcMs);
    }

    String csv() {
      return String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%s,%d,%d,%d,%.0f,%.0f,%.4f,%.4f,%.4f,%.3f,%.0f,%d",
          w.hosts(), w.roles(), w.frameworksPerRole(), w.frameworks(), w.uniqueHost() ? "unique" : "none",
          w.offers().name().toLowerCase(Locale.ROOT), w.maxBatches(), asked, placed, tpsMedian, tpsMax,
          p50, p99, maxMs, cyclesPerBatch, gcMs, violations);
    }
  }

  private static void printHeader(PlacementOptions o) {
    System.out.println("# Trellis placement benchmark");
    System.out.println();
    System.out.println("- date: " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    System.out.println("- machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel()
        + "), " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
    System.out.println("- java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    System.out.println("- JVM flags: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    System.out.printf(Locale.ROOT, "- max heap: %d MiB; GC: %s%n", Runtime.getRuntime().maxMemory() >> 20,
        ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", ")));
    System.out.printf(Locale.ROOT, "- workload: agents %s; tasks %s in batches of %d (%d apps x %d) to %.0f%% of cpus;"
            + " best-fit packing; JIT warm-up %d x streams on 1,000 agents, then %d warm-up + %d measured reps per row%n",
        Shape.HOST.describe(), Shape.TASK.describe(), Workload.BATCH, Workload.APPS_PER_BATCH,
        Workload.BATCH / Workload.APPS_PER_BATCH, Workload.FILL * 100, o.jitWarmup(), o.warmup(), o.reps());
    System.out.flush();
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }

  static double[] ms(long[] ns) {
    double[] out = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      out[i] = ns[i] / 1e6;
    }
    return out;
  }

  /** Nearest-rank percentile. */
  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
