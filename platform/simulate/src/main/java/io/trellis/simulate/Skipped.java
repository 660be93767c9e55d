package io.trellis.simulate;

import java.util.ArrayList;
import java.util.List;

/** Rows of an input file that were left out: how many, and the first few reasons. */
public final class Skipped {
  static final int KEPT = 5;
  private long count;
  private final List<String> reasons = new ArrayList<>();

  void add(long row, String reason) {
    count++;
    if (reasons.size() < KEPT) {
      reasons.add("row " + row + ": " + reason);
    }
  }

  public long count() {
    return count;
  }

  public List<String> firstReasons() {
    return List.copyOf(reasons);
  }
}
