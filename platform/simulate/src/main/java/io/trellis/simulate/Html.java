package io.trellis.simulate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report directory: {@code index.html} (the table and three SVG charts: utilisation per
 * resource, each role's share against its target, wait times), {@code placements.csv} and
 * {@code samples.csv}. Self-contained: no script, nothing fetched.
 */
public final class Html {
  static final long[] BUCKETS = {1_000, 10_000, 60_000, 600_000, 3_600_000};
  static final List<String> BUCKET_LABELS = List.of("< 1 s", "1-10 s", "10 s-1 min", "1-10 min", "10 min-1 h", "> 1 h");

  private Html() {}

  public static Path write(Path dir, Summary summary, String title) throws IOException {
    Files.createDirectories(dir);
    Outcome o = summary.outcome;
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    summary.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html>\n<html><head><meta charset='utf-8'><title>").append(escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:60em}pre{background:#f6f6f6;"
            + "padding:1em}</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n<pre>")
        .append(escape(table.toString(StandardCharsets.UTF_8))).append("</pre>\n");
    page.append("<h2>Utilisation over time</h2>\n").append(utilisation(o));
    page.append("<h2>Dominant share per role (solid) against its weighted-DRF target (dashed)</h2>\n")
        .append(shares(o, summary));
    page.append("<h2>Wait from submit to placement, tasks per bucket</h2>\n").append(waits(o, summary));
    page.append("<p>Every placement is in <a href='placements.csv'>placements.csv</a>, the samples in "
        + "<a href='samples.csv'>samples.csv</a>.</p>\n</body></html>\n");
    Path index = dir.resolve("index.html");
    Files.writeString(index, page);
    csv(dir, o);
    return index;
  }

  private static String utilisation(Outcome o) {
    List<SvgChart.Series> series = new ArrayList<>();
    if (o.samples().isEmpty()) {
      return "<p>No samples.</p>\n";
    }
    int c = 0;
    for (String name : o.samples().get(0).used().keySet()) {
      series.add(series(name, SvgChart.COLOURS[c++ % SvgChart.COLOURS.length], false, o, s -> s.used().get(name)));
    }
    return SvgChart.lines("utilisation", series, 1.0);
  }

  private static String shares(Outcome o, Summary summary) {
    List<SvgChart.Series> series = new ArrayList<>();
    int c = 0;
    double max = 0.05;
    for (Outcome.Sample s : o.samples()) {
      for (double v : s.share().values()) {
        max = Math.max(max, v);
      }
      for (double v : s.target().values()) {
        max = Math.max(max, v);
      }
    }
    for (String role : summary.allRoles()) {
      String colour = SvgChart.COLOURS[c++ % SvgChart.COLOURS.length];
      series.add(series(role, colour, false, o, s -> s.share().getOrDefault(role, 0.0)));
      series.add(series(role + " target", colour, true, o, s -> s.target().getOrDefault(role, 0.0)));
    }
    return SvgChart.lines("share per role", series, Math.min(1.0, max * 1.1));
  }

  private static String waits(Outcome o, Summary summary) {
    List<SvgChart.Series> series = new ArrayList<>();
    int c = 0;
    for (String role : summary.waits().keySet()) {
      double[] counts = new double[BUCKET_LABELS.size()];
      for (Placement p : o.placements()) {
        if (p.role().equals(role)) {
          int b = 0;
          while (b < BUCKETS.length && p.waitMillis() >= BUCKETS[b]) {
            b++;
          }
          counts[b]++;
        }
      }
      series.add(new SvgChart.Series(role, SvgChart.COLOURS[c++ % SvgChart.COLOURS.length], false, new double[0], counts));
    }
    return series.isEmpty() ? "<p>No task was placed.</p>\n" : SvgChart.bars("wait times", BUCKET_LABELS, series);
  }

  private static SvgChart.Series series(String name, String colour, boolean dashed, Outcome o,
      java.util.function.ToDoubleFunction<Outcome.Sample> value) {
    double[] x = new double[o.samples().size()];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = o.samples().get(i).atMillis() / 1000.0;
      y[i] = value.applyAsDouble(o.samples().get(i));
    }
    return new SvgChart.Series(name, colour, dashed, x, y);
  }

  private static void csv(Path dir, Outcome o) throws IOException {
    try (Writer out = Files.newBufferedWriter(dir.resolve("placements.csv"))) {
      out.write("at_s,framework,role,agent,resources,wait_s,gang\n");
      for (Placement p : o.placements()) {
        out.write(String.format(Locale.ROOT, "%.3f,%s,%s,%s,%s,%.3f,%b%n", p.atMillis() / 1000.0, p.framework(),
            p.role(), p.agent(), p.resources(), p.waitMillis() / 1000.0, p.gang()));
      }
    }
    try (Writer out = Files.newBufferedWriter(dir.resolve("samples.csv"))) {
      out.write("at_s,kind,name,value\n");
      for (Outcome.Sample s : o.samples()) {
        for (var e : List.of(Map.entry("used", s.used()), Map.entry("share", s.share()), Map.entry("target", s.target()))) {
          for (var v : e.getValue().entrySet()) {
            out.write(String.format(Locale.ROOT, "%.3f,%s,%s,%.5f%n", s.atMillis() / 1000.0, e.getKey(), v.getKey(),
                v.getValue()));
          }
        }
      }
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
  }
}
