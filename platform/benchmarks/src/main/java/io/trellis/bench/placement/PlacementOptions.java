package io.trellis.bench.placement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the placement benchmark; a bad one is reported with what to do next.
 *
 * @param grid roles x frameworks per role, e.g. {1, 10} for {@code 1x10}
 * @param windows agents -> batches: an extra row measuring only the first batches from empty
 */
record PlacementOptions(int[] hosts, List<int[]> grid, List<Boolean> uniqueHost,
    List<Workload.OfferUse> offers, Map<Integer, Integer> windows, int reps, int warmup,
    int jitWarmup, Path csv) {
  static final String USAGE = "usage: bench-placement [--hosts=1000,5000,10000] [--grid=1x10,1x100,10x10]"
      + " [--constraints=none,unique] [--offers=hold,decline] [--window=5000:3,10000:3|none]"
      + " [--reps=3] [--warmup=1] [--jit-warmup=2] [--csv=FILE]";

  static PlacementOptions parse(String[] args) {
    int[] hosts = {1000, 5000, 10000};
    List<int[]> grid = List.of(new int[] {1, 10}, new int[] {1, 100}, new int[] {10, 10});
    List<Boolean> unique = List.of(false, true);
    List<Workload.OfferUse> offers = List.of(Workload.OfferUse.HOLD);
    Map<Integer, Integer> windows = new LinkedHashMap<>(Map.of(5000, 3, 10000, 3));
    int reps = 3;
    int warmup = 1;
    int jit = 2;
    Path csv = null;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      if (kv.length != 2 || kv[1].isBlank()) {
        throw new IllegalArgumentException("expected --name=value, got '" + arg + "'");
      }
      String v = kv[1].trim();
      switch (kv[0]) {
        case "--hosts" -> hosts = ints(kv[0], v);
        case "--grid" -> grid = grid(v);
        case "--constraints" -> unique = constraints(v);
        case "--offers" -> offers = offers(v);
        case "--window" -> windows = windows(v);
        case "--reps" -> reps = positive(kv[0], v);
        case "--warmup" -> warmup = count(kv[0], v);
        case "--jit-warmup" -> jit = count(kv[0], v);
        case "--csv" -> csv = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option '" + kv[0] + "'");
      }
    }
    return new PlacementOptions(hosts, grid, unique, offers, windows, reps, warmup, jit, csv);
  }

  private static int[] ints(String name, String v) {
    int[] out = Arrays.stream(v.split(",")).mapToInt(s -> positive(name, s.trim())).toArray();
    if (out.length == 0) {
      throw new IllegalArgumentException(name + " needs at least one number");
    }
    return out;
  }

  private static List<int[]> grid(String v) {
    List<int[]> out = new ArrayList<>();
    for (String cell : v.split(",")) {
      String[] rf = cell.trim().split("x");
      if (rf.length != 2) {
        throw new IllegalArgumentException("--grid takes roles x frameworks per role such as 1x10,10x10, got '"
            + cell + "'");
      }
      out.add(new int[] {positive("--grid", rf[0]), positive("--grid", rf[1])});
    }
    return out;
  }

  private static List<Boolean> constraints(String v) {
    List<Boolean> out = new ArrayList<>();
    for (String c : v.split(",")) {
      switch (c.trim()) {
        case "none" -> out.add(false);
        case "unique" -> out.add(true);
        default -> throw new IllegalArgumentException("--constraints takes none and/or unique, got '" + c + "'");
      }
    }
    return out;
  }

  private static List<Workload.OfferUse> offers(String v) {
    List<Workload.OfferUse> out = new ArrayList<>();
    for (String o : v.split(",")) {
      switch (o.trim()) {
        case "hold" -> out.add(Workload.OfferUse.HOLD);
        case "decline" -> out.add(Workload.OfferUse.DECLINE);
        default -> throw new IllegalArgumentException("--offers takes hold and/or decline, got '" + o + "'");
      }
    }
    return out;
  }

  private static Map<Integer, Integer> windows(String v) {
    Map<Integer, Integer> out = new LinkedHashMap<>();
    if (v.equals("none")) {
      return out;
    }
    for (String w : v.split(",")) {
      String[] hb = w.trim().split(":");
      if (hb.length != 2) {
        throw new IllegalArgumentException("--window takes agents:batches such as 10000:3, got '" + w + "'");
      }
      out.put(positive("--window", hb[0]), positive("--window", hb[1]));
    }
    return out;
  }

  private static int positive(String name, String v) {
    int n = count(name, v);
    if (n <= 0) {
      throw new IllegalArgumentException(name + " needs numbers above 0, got '" + v + "'");
    }
    return n;
  }

  private static int count(String name, String v) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 0) {
        throw new IllegalArgumentException(name + " needs a number >= 0, got '" + v + "'");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs whole numbers, got '" + v + "'");
    }
  }
}
