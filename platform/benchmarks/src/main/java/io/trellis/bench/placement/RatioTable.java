package io.trellis.bench.placement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ratio table of one sitting: for every row of the placement benchmark, Trellis tasks/s over
 * the peers' tasks/s in the matching cell. Fenzo is matched on agents, the constraint (S1 or S2)
 * and the stream (whole, or the same first batches from empty); it has no frameworks, so every
 * grid cell meets the same Fenzo row. YARN is matched on nodes and queues x apps = roles x
 * frameworks, for whole streams, with the better of its two modes; its benchmark has no
 * placement constraint, so unique-host rows meet its unconstrained figure (marked *).
 *
 * <p>{@code --trellis=FILE --fenzo=FILE --yarn=FILE}; a missing peer file leaves its columns out.
 */
public final class RatioTable {
  private RatioTable() {}

  public static void main(String[] args) throws IOException {
    Path trellis = null;
    Path fenzo = null;
    Path yarn = null;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      Path p = kv.length == 2 ? Path.of(kv[1]) : null;
      switch (kv[0]) {
        case "--trellis" -> trellis = p;
        case "--fenzo" -> fenzo = p;
        case "--yarn" -> yarn = p;
        default -> {
          System.err.println("ratio table: unknown option '" + arg + "'; use --trellis=FILE [--fenzo=FILE] [--yarn=FILE]");
          System.exit(2);
        }
      }
    }
    if (trellis == null || !Files.isReadable(trellis)) {
      System.err.println("ratio table: the Trellis results (--trellis=FILE) are missing: " + trellis);
      System.exit(2);
    }
    List<PeerResults.Fenzo> f = readable(fenzo) ? PeerResults.fenzo(Files.readAllLines(fenzo)) : List.of();
    List<PeerResults.Yarn> y = readable(yarn) ? PeerResults.yarn(Files.readAllLines(yarn)) : List.of();
    print(PeerResults.trellis(Files.readAllLines(trellis)), f, y).forEach(System.out::println);
  }

  private static boolean readable(Path p) {
    return p != null && Files.isReadable(p);
  }

  /** The table and its summary, as markdown lines. */
  static List<String> print(List<PeerResults.Trellis> rows, List<PeerResults.Fenzo> fenzo,
      List<PeerResults.Yarn> yarn) {
    List<String> out = new ArrayList<>();
    out.add("| agents | roles x frameworks | constraint | offers | stream | Trellis tasks/s "
        + "| Fenzo tasks/s | x Fenzo | YARN Capacity tasks/s | x Capacity | YARN Fair tasks/s | x Fair |");
    out.add("|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
    int compared = 0;
    int ahead = 0;
    for (PeerResults.Trellis t : rows) {
      Optional<PeerResults.Fenzo> fz = fenzo.stream()
          .filter(x -> x.hosts() == t.hosts() && x.unique() == t.unique() && x.window() == t.window())
          .findFirst();
      Optional<PeerResults.Yarn> cs = bestYarn(yarn, "capacity", t);
      Optional<PeerResults.Yarn> fs = bestYarn(yarn, "fair", t);
      String star = t.unique() ? "*" : "";
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %,d | %d x %d | %s | %s | %s | %,.0f ",
          t.hosts(), t.roles(), t.frameworks() / t.roles(), t.unique() ? "unique host" : "none", t.offers(),
          t.window() > 0 ? "first " + t.window() + " batches" : "whole", t.tasksPerSecond()));
      for (Optional<? extends Object> peer : List.of(fz, cs, fs)) {
        if (peer.isEmpty()) {
          line.append("| - | - ");
          continue;
        }
        double theirs = peer.get() instanceof PeerResults.Fenzo x ? x.tasksPerSecond()
            : ((PeerResults.Yarn) peer.get()).tasksPerSecond();
        String mode = peer.get() instanceof PeerResults.Yarn x ? " (" + x.mode() + ")" + star : "";
        double ratio = t.tasksPerSecond() / theirs;
        compared++;
        ahead += ratio >= 1 ? 1 : 0;
        line.append(String.format(Locale.ROOT, "| %,.0f%s | %s ", theirs, mode, ratio(ratio)));
      }
      out.add(line.append('|').toString());
    }
    out.add("");
    out.add(String.format(Locale.ROOT, "Trellis ahead in %d of %d comparisons.", ahead, compared));
    if (rows.stream().anyMatch(PeerResults.Trellis::unique) && !yarn.isEmpty()) {
      out.add("* the YARN benchmark has no placement constraint: unique-host rows are compared with its"
          + " unconstrained figure.");
    }
    rows.stream().filter(t -> t.hosts() == 10_000 && t.frameworks() == 100 && t.window() == 0)
        .forEach(t -> out.add(String.format(Locale.ROOT, "10,000 agents, %d x %d, %s, %s offers: %,.0f tasks/s (target 100,000: %s)",
            t.roles(), t.frameworks() / t.roles(), t.unique() ? "unique host" : "no constraint", t.offers(),
            t.tasksPerSecond(), t.tasksPerSecond() >= 100_000 ? "met" : "not met")));
    return out;
  }

  /** The faster mode of a YARN scheduler in the cell of a whole-stream Trellis row. */
  private static Optional<PeerResults.Yarn> bestYarn(List<PeerResults.Yarn> yarn, String scheduler,
      PeerResults.Trellis t) {
    if (t.window() > 0) {
      return Optional.empty();
    }
    return yarn.stream()
        .filter(y -> y.scheduler().equals(scheduler) && y.nodes() == t.hosts() && y.queues() == t.roles()
            && y.apps() == t.frameworks())
        .max((a, b) -> Double.compare(a.tasksPerSecond(), b.tasksPerSecond()));
  }

  private static String ratio(double r) {
    return r >= 10 ? String.format(Locale.ROOT, "**%.0fx**", r)
        : String.format(Locale.ROOT, r >= 1 ? "**%.2fx**" : "%.2fx", r);
  }
}
