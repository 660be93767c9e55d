package io.trellis.allocator.preemption;

import java.util.Locale;

/**
 * What preemption may take resources back for: nothing, quota guarantees, or guarantees and
 * weighted fair shares (YARN FairScheduler's fair-share preemption).
 */
public enum PreemptionMode {
  OFF,
  GUARANTEE,
  FAIR_SHARE;

  /** The mode for {@code off}, {@code guarantee} or {@code fair-share}, naming the value otherwise. */
  public static PreemptionMode parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "off" -> OFF;
      case "guarantee" -> GUARANTEE;
      case "fair-share" -> FAIR_SHARE;
      default -> throw new IllegalArgumentException("preemption must be one of guarantee, fair-share or off, got '"
          + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'");
    };
  }

  /** The form {@link #parse} reads. */
  public String text() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
