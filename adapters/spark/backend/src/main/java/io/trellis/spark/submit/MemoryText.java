package io.trellis.spark.submit;

import java.util.Locale;

/** Spark's memory strings ({@code 512m}, {@code 2g}, {@code 1024}) in MiB. */
final class MemoryText {
  private MemoryText() {}

  static long mb(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("g") || t.endsWith("gb")) {
        return Long.parseLong(t.replaceAll("g?b?$", "").replace("g", "")) * 1024;
      }
      if (t.endsWith("m") || t.endsWith("mb")) {
        return Long.parseLong(t.replaceAll("m?b?$", "").replace("m", ""));
      }
      if (t.endsWith("k") || t.endsWith("kb")) {
        return Math.max(1, Long.parseLong(t.replaceAll("k?b?$", "").replace("k", "")) / 1024);
      }
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad memory size '" + text + "': expected a number with m or g, as in 512m", e);
    }
  }
}
