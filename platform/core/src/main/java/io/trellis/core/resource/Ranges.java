package io.trellis.core.resource;

import java.util.Arrays;

/**
 * An immutable set of non-negative integers stored as sorted, disjoint, non-adjacent closed
 * intervals, such as the ports {@code [31000-31099, 32000-32000]}.
 */
public final class Ranges {
  private static final Ranges EMPTY = new Ranges(new long[0]);

  /** Pairs of inclusive bounds: begin0, end0, begin1, end1, ... sorted and coalesced. */
  private final long[] bounds;

  private Ranges(long[] bounds) {
    this.bounds = bounds;
  }

  public static Ranges empty() {
    return EMPTY;
  }

  /** The single interval {@code [begin, end]}. */
  public static Ranges of(long begin, long end) {
    checkInterval(begin, end);
    return new Ranges(new long[] {begin, end});
  }

  /** Builds from pairs of bounds in any order; overlapping and adjacent intervals are merged. */
  public static Ranges ofPairs(long... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("ranges need pairs of bounds, got " + pairs.length + " values");
    }
    Ranges result = EMPTY;
    for (int i = 0; i < pairs.length; i += 2) {
      result = result.plus(of(pairs[i], pairs[i + 1]));
    }
    return result;
  }

  /**
   * Parses {@code [31000-32000]} or {@code [1-5, 8-8, 10-12]}; the brackets are optional.
   *
   * @throws InvalidResourceException naming the bad text
   */
  public static Ranges parse(String text) {
    String body = text.trim();
    if (body.startsWith("[") && body.endsWith("]")) {
      body = body.substring(1, body.length() - 1).trim();
    } else if (body.startsWith("[") || body.endsWith("]")) {
      throw new InvalidResourceException("unbalanced brackets in ranges '" + text + "'");
    }
    if (body.isEmpty()) {
      return EMPTY;
    }
    Ranges result = EMPTY;
    for (String part : body.split(",")) {
      String item = part.trim();
      int dash = item.indexOf('-', 1);
      try {
        long begin = Long.parseLong((dash < 0 ? item : item.substring(0, dash)).trim());
        long end = dash < 0 ? begin : Long.parseLong(item.substring(dash + 1).trim());
        if (begin < 0 || end < begin || end > MAX_VALUE) {
          throw new InvalidResourceException("invalid interval '" + item + "' in ranges '" + text
              + "': expected begin-end with 0 <= begin <= end <= " + MAX_VALUE);
        }
        result = result.plus(of(begin, end));
      } catch (NumberFormatException e) {
        throw new InvalidResourceException("invalid interval '" + item + "' in ranges '" + text
            + "': expected whole numbers such as 31000-32000");
      }
    }
    return result;
  }

  /** The largest value a range may hold; one below {@link Long#MAX_VALUE} keeps sizes exact. */
  public static final long MAX_VALUE = Long.MAX_VALUE - 1;

  private static void checkInterval(long begin, long end) {
    if (begin < 0 || end < begin || end > MAX_VALUE) {
      throw new InvalidResourceException("invalid interval [" + begin + "-" + end
          + "]: expected 0 <= begin <= end <= " + MAX_VALUE);
    }
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** How many integers the set holds. */
  public long size() {
    long n = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      n += bounds[i + 1] - bounds[i] + 1;
    }
    return n;
  }

  /** The number of disjoint intervals. */
  public int intervalCount() {
    return bounds.length / 2;
  }

  public long begin(int interval) {
    return bounds[2 * interval];
  }

  public long end(int interval) {
    return bounds[2 * interval + 1];
  }

  public boolean contains(long value) {
    int i = floorInterval(value);
    return i >= 0 && value <= bounds[2 * i + 1];
  }

  /** Whether every integer of {@code other} is in this set. */
  public boolean contains(Ranges other) {
    for (int j = 0; j < other.bounds.length; j += 2) {
      int i = floorInterval(other.bounds[j]);
      if (i < 0 || other.bounds[j + 1] > bounds[2 * i + 1]) {
        return false;
      }
    }
    return true;
  }

  /** Index of the last interval whose begin is at most {@code value}, or -1. */
  private int floorInterval(long value) {
    int lo = 0;
    int hi = bounds.length / 2 - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[2 * mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  public Ranges plus(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < bounds.length || j < other.bounds.length) {
      long b;
      long e;
      if (j >= other.bounds.length || (i < bounds.length && bounds[i] <= other.bounds[j])) {
        b = bounds[i];
        e = bounds[i + 1];
        i += 2;
      } else {
        b = other.bounds[j];
        e = other.bounds[j + 1];
        j += 2;
      }
      if (n > 0 && b <= out[n - 1] + 1) {
        out[n - 1] = Math.max(out[n - 1], e);
      } else {
        out[n++] = b;
        out[n++] = e;
      }
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  /** This set without the integers of {@code other}; integers not present are ignored. */
  public Ranges minus(Ranges other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long b = bounds[i];
      long e = bounds[i + 1];
      while (j < other.bounds.length && other.bounds[j + 1] < b) {
        j += 2;
      }
      int k = j;
      while (b <= e && k < other.bounds.length && other.bounds[k] <= e) {
        if (other.bounds[k] > b) {
          out[n++] = b;
          out[n++] = other.bounds[k] - 1;
        }
        b = Math.max(b, other.bounds[k + 1] + 1);
        k += 2;
      }
      if (b <= e) {
        out[n++] = b;
        out[n++] = e;
      }
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  /** The first {@code count} integers of the set, in ascending order. */
  public Ranges first(long count) {
    if (count <= 0) {
      return EMPTY;
    }
    long left = count;
    long[] out = new long[bounds.length];
    int n = 0;
    for (int i = 0; i < bounds.length && left > 0; i += 2) {
      long len = bounds[i + 1] - bounds[i] + 1;
      long take = Math.min(len, left);
      out[n++] = bounds[i];
      out[n++] = bounds[i] + take - 1;
      left -= take;
    }
    if (left > 0) {
      throw new InvalidResourceException("cannot take " + count + " values from " + this);
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges r && Arrays.equals(bounds, r.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  /** The Mesos text form, e.g. {@code [31000-31099, 32000-32000]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(bounds[i]).append('-').append(bounds[i + 1]);
    }
    return sb.append(']').toString();
  }
}
