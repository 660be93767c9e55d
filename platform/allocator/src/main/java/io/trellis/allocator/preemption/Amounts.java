package io.trellis.allocator.preemption;

import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scalar amounts by resource name in thousandths, whatever role reserved them: the planner's
 * arithmetic, which may go below zero while it tries a choice.
 */
final class Amounts {
  private final Map<String, Long> millis = new TreeMap<>();

  static Amounts of(Resources r) {
    Amounts a = new Amounts();
    for (int i = 0; i < r.size(); i++) {
      Resource e = r.get(i);
      if (e.isScalar()) {
        a.millis.merge(e.name(), e.millis(), Long::sum);
      }
    }
    return a;
  }

  Amounts copy() {
    Amounts a = new Amounts();
    a.millis.putAll(millis);
    return a;
  }

  long get(String name) {
    return millis.getOrDefault(name, 0L);
  }

  Iterable<String> names() {
    return millis.keySet();
  }

  Amounts add(Amounts other, int sign) {
    other.millis.forEach((k, v) -> millis.merge(k, sign * v, Long::sum));
    return this;
  }

  /** Whether every amount of {@code other} is here in at least that amount. */
  boolean covers(Amounts other) {
    for (Map.Entry<String, Long> e : other.millis.entrySet()) {
      if (e.getValue() > get(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /** The dominant share of these amounts in {@code total}: the largest fraction over its kinds. */
  double dominantShare(Amounts total) {
    double share = 0;
    for (Map.Entry<String, Long> e : millis.entrySet()) {
      long t = total.get(e.getKey());
      if (t > 0 && e.getValue() > 0) {
        share = Math.max(share, (double) e.getValue() / t);
      }
    }
    return share;
  }
}
