package io.trellis.bench.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the three benchmarks' outputs: this benchmark's CSV, the Fenzo benchmark's stdout (its
 * "Placement streams" markdown table) and the YARN benchmark's {@code results.csv} (one line per
 * measured run; the median of a row's runs is taken here). A line that cannot be read is an
 * {@link IllegalArgumentException} naming it.
 */
final class PeerResults {
  private PeerResults() {}

  /** A row of this benchmark: {@code window} is 0 for a whole stream. */
  record Trellis(int hosts, int roles, int frameworks, boolean unique, String offers, int window,
      double tasksPerSecond) {}

  /** A Fenzo S1 (no constraint) or S2 (unique host) row; {@code window} is 0 for a whole stream. */
  record Fenzo(int hosts, boolean unique, int window, double tasksPerSecond) {}

  /** The median containers/s of one YARN scheduler, mode and grid cell. */
  record Yarn(String scheduler, String mode, int nodes, int queues, int apps, double tasksPerSecond) {}

  static List<Trellis> trellis(List<String> csv) {
    List<Trellis> out = new ArrayList<>();
    Map<String, Integer> col = header(csv, "Trellis CSV");
    for (String line : csv.subList(1, csv.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      out.add(new Trellis(integer(f, col, "hosts", line), integer(f, col, "roles", line),
          integer(f, col, "frameworks", line), field(f, col, "constraint", line).equals("unique"),
          field(f, col, "offers", line), integer(f, col, "max_batches", line),
          number(f, col, "tasks_per_s_median", line)));
    }
    return out;
  }

  static List<Fenzo> fenzo(List<String> stdout) {
    List<Fenzo> out = new ArrayList<>();
    Map<String, Integer> col = null;
    for (String line : stdout) {
      if (!line.startsWith("|")) {
        col = line.isBlank() ? col : null;
        continue;
      }
      String[] f = cells(line);
      if (f.length > 1 && f[0].equals("S") && f[1].equals("scenario")) {
        col = index(f);
        continue;
      }
      if (col == null || f[0].startsWith("-") || !(f[0].equals("1") || f[0].equals("2"))) {
        continue;
      }
      if (!field(f, col, "good-enough", line).startsWith("default")) {
        continue;
      }
      String stream = field(f, col, "stream", line);
      int window = 0;
      if (stream.startsWith("first ")) {
        window = Integer.parseInt(stream.split(" ")[1]);
      }
      out.add(new Fenzo(integer(f, col, "hosts", line), f[0].equals("2"), window,
          number(f, col, "tasks/s median", line)));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no S1 or S2 row found in the Fenzo benchmark's output");
    }
    return out;
  }

  static List<Yarn> yarn(List<String> csv) {
    Map<String, Integer> col = header(csv, "YARN results.csv");
    Map<String, List<Double>> runs = new HashMap<>();
    Map<String, String[]> keys = new HashMap<>();
    for (String line : csv.subList(1, csv.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      String[] key = {field(f, col, "scheduler", line), field(f, col, "mode", line),
          field(f, col, "nodes", line), field(f, col, "queues", line), field(f, col, "apps", line)};
      String k = String.join("/", key);
      keys.put(k, key);
      runs.computeIfAbsent(k, x -> new ArrayList<>()).add(number(f, col, "containers_per_s", line));
    }
    List<Yarn> out = new ArrayList<>();
    runs.forEach((k, v) -> {
      String[] key = keys.get(k);
      double[] values = v.stream().mapToDouble(Double::doubleValue).toArray();
      out.add(new Yarn(key[0].toLowerCase(Locale.ROOT), key[1].toLowerCase(Locale.ROOT),
          Integer.parseInt(key[2]), Integer.parseInt(key[3]), Integer.parseInt(key[4]),
          PlacementBenchmark.percentile(values, 0.5)));
    });
    return out;
  }

  private static Map<String, Integer> header(List<String> csv, String what) {
    if (csv.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    return index(csv.get(0).split(","));
  }

  private static Map<String, Integer> index(String[] names) {
    Map<String, Integer> col = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      col.put(names[i].trim(), i);
    }
    return col;
  }

  private static String[] cells(String line) {
    String body = line.trim();
    body = body.substring(1, body.endsWith("|") ? body.length() - 1 : body.length());
    String[] f = body.split("\\|");
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].trim();
    }
    return f;
  }

  private static String field(String[] f, Map<String, Integer> col, String name, String line) {
    Integer i = col.get(name);
    if (i == null || i >= f.length) {
      throw new IllegalArgumentException("no column '" + name + "' in line: " + line);
    }
    return f[i].trim();
  }

  private static int integer(String[] f, Map<String, Integer> col, String name, String line) {
    return (int) number(f, col, name, line);
  }

  private static double number(String[] f, Map<String, Integer> col, String name, String line) {
    String v = field(f, col, name, line).replace(",", "");
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("column '" + name + "' is not a number ('" + v + "') in line: " + line);
    }
  }
}
