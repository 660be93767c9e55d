package io.trellis.simulate;

import java.util.List;
import java.util.Locale;

/** Line and bar charts as inline SVG, drawn by hand: no script, nothing fetched. */
final class SvgChart {
  static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
      "#17becf", "#7f7f7f", "#bcbd22"};
  private static final int W = 760;
  private static final int H = 260;
  private static final int LEFT = 50;
  private static final int RIGHT = 150;
  private static final int TOP = 20;
  private static final int BOTTOM = 30;

  record Series(String name, String colour, boolean dashed, double[] x, double[] y) {}

  private SvgChart() {}

  /** Lines over x in seconds (drawn in hours when long), y from 0 to {@code yMax}. */
  static String lines(String title, List<Series> series, double yMax) {
    double xMax = 1;
    for (Series s : series) {
      for (double x : s.x()) {
        xMax = Math.max(xMax, x);
      }
    }
    boolean hours = xMax > 3 * 3600;
    double unit = hours ? 3600 : 60;
    StringBuilder svg = frame(title);
    axes(svg, xMax / unit, hours ? "hours" : "minutes", yMax);
    int legend = 0;
    for (Series s : series) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < s.x().length; i++) {
        points.append(fmt(px(s.x()[i] / unit, xMax / unit))).append(',').append(fmt(py(s.y()[i], yMax))).append(' ');
      }
      svg.append(String.format("<polyline fill='none' stroke='%s' stroke-width='1.5'%s points='%s'/>%n", s.colour(),
          s.dashed() ? " stroke-dasharray='5,3'" : "", points));
      legend(svg, legend++, s);
    }
    return svg.append("</svg>\n").toString();
  }

  /** Groups of bars: one group per label, one bar per series (its y values by label). */
  static String bars(String title, List<String> labels, List<Series> series) {
    double yMax = 1e-9;
    for (Series s : series) {
      for (double y : s.y()) {
        yMax = Math.max(yMax, y);
      }
    }
    StringBuilder svg = frame(title);
    double plotW = W - LEFT - RIGHT;
    double groupW = plotW / labels.size();
    double barW = groupW * 0.8 / Math.max(1, series.size());
    svg.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM)).append(line(LEFT, TOP, LEFT, H - BOTTOM));
    svg.append(text(4, TOP + 10, fmt(yMax), "start"));
    for (int g = 0; g < labels.size(); g++) {
      svg.append(text(LEFT + g * groupW + groupW / 2, H - 10, labels.get(g), "middle"));
      for (int s = 0; s < series.size(); s++) {
        double y = series.get(s).y()[g];
        double top = py(y, yMax);
        svg.append(String.format(Locale.ROOT, "<rect x='%s' y='%s' width='%s' height='%s' fill='%s'/>%n",
            fmt(LEFT + g * groupW + groupW * 0.1 + s * barW), fmt(top), fmt(barW), fmt(H - BOTTOM - top),
            series.get(s).colour()));
      }
    }
    for (int s = 0; s < series.size(); s++) {
      legend(svg, s, series.get(s));
    }
    return svg.append("</svg>\n").toString();
  }

  private static StringBuilder frame(String title) {
    StringBuilder svg = new StringBuilder();
    svg.append(String.format("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' "
        + "font-size='11'>%n<title>%s</title>%n", W, H, Html.escape(title)));
    return svg;
  }

  private static void axes(StringBuilder svg, double xMax, String xUnit, double yMax) {
    svg.append(line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM)).append(line(LEFT, TOP, LEFT, H - BOTTOM));
    for (int i = 0; i <= 4; i++) {
      double y = yMax * i / 4;
      svg.append(text(LEFT - 4, py(y, yMax) + 4, fmt(y), "end"));
      double x = xMax * i / 4;
      svg.append(text(px(x, xMax), H - BOTTOM + 14, fmt(x), "middle"));
    }
    svg.append(text(W - RIGHT, H - 2, xUnit, "end"));
  }

  private static void legend(StringBuilder svg, int i, Series s) {
    int y = TOP + 14 * i;
    svg.append(String.format("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'%s/>%n", W - RIGHT + 10,
        y, W - RIGHT + 28, y, s.colour(), s.dashed() ? " stroke-dasharray='4,2'" : ""));
    svg.append(text(W - RIGHT + 32, y + 4, s.name(), "start"));
  }

  private static double px(double x, double xMax) {
    return LEFT + (W - LEFT - RIGHT) * x / xMax;
  }

  private static double py(double y, double yMax) {
    return H - BOTTOM - (H - TOP - BOTTOM) * Math.min(y, yMax) / yMax;
  }

  private static String line(double x1, double y1, double x2, double y2) {
    return String.format("<line x1='%s' y1='%s' x2='%s' y2='%s' stroke='#444'/>%n", fmt(x1), fmt(y1), fmt(x2), fmt(y2));
  }

  private static String text(double x, double y, String s, String anchor) {
    return String.format("<text x='%s' y='%s' text-anchor='%s'>%s</text>%n", fmt(x), fmt(y), anchor, Html.escape(s));
  }

  static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
