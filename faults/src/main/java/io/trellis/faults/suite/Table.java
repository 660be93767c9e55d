package io.trellis.faults.suite;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The suite's verdicts as a table: aligned columns for the console, a Markdown table for docs/reliability.md. */
public final class Table {
  private static final String[] HEADER = {"scenario", "invariant", "verdict", "time to recover", "detail"};

  private Table() {}

  public static String console(List<Result.Row> rows) {
    int[] w = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      w[i] = HEADER[i].length();
    }
    for (Result.Row r : rows) {
      String[] c = cells(r);
      for (int i = 0; i < c.length - 1; i++) {
        w[i] = Math.max(w[i], c[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, HEADER, w);
    for (Result.Row r : rows) {
      line(out, cells(r), w);
    }
    long broken = rows.stream().filter(r -> !r.held()).count();
    out.append(rows.size()).append(" verdicts, ").append(broken == 0 ? "every invariant held" : broken + " BROKEN").append('\n');
    return out.toString();
  }

  public static String markdown(List<Result.Row> rows) {
    StringBuilder out = new StringBuilder("| " + String.join(" | ", HEADER) + " |\n|");
    out.append(" --- |".repeat(HEADER.length)).append('\n');
    for (Result.Row r : rows) {
      String[] c = cells(r);
      out.append("| ");
      for (int i = 0; i < c.length; i++) {
        out.append(c[i].replace("|", "\\|").replace("\n", " ")).append(i + 1 < c.length ? " | " : " |\n");
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String[] c, int[] w) {
    for (int i = 0; i < c.length; i++) {
      out.append(i + 1 < c.length ? String.format("%-" + w[i] + "s  ", c[i]) : c[i]);
    }
    out.append('\n');
  }

  private static String[] cells(Result.Row r) {
    return new String[] {r.scenario(), r.invariant(), r.verdict(), seconds(r.recovery()), r.detail() == null ? "" : r.detail()};
  }

  static String seconds(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
