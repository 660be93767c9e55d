package io.trellis.allocator;

import io.trellis.core.resource.Resources;
import java.util.Arrays;

/**
 * What subscriptions use on one agent (accepted offers, resources reported in use at
 * registration): a few (subscription, resources) pairs side by side in arrays, so recording a
 * launch or a release boxes nothing and allocates no map entry. An agent runs the work of a
 * handful of frameworks, so a scan is as quick as any lookup.
 */
final class Uses {
  private int[] subs = new int[2];
  private Resources[] values = new Resources[2];
  private int count;

  int size() {
    return count;
  }

  int sub(int i) {
    return subs[i];
  }

  Resources value(int i) {
    return values[i];
  }

  /** What the subscription uses here, or {@code null} for nothing. */
  Resources get(int sub) {
    int i = indexOf(sub);
    return i < 0 ? null : values[i];
  }

  /** The subscription uses {@code r} more. */
  void add(int sub, Resources r) {
    int i = indexOf(sub);
    if (i >= 0) {
      values[i] = values[i].plus(r);
      return;
    }
    if (count == subs.length) {
      subs = Arrays.copyOf(subs, count * 2);
      values = Arrays.copyOf(values, count * 2);
    }
    subs[count] = sub;
    values[count++] = r;
  }

  /** The subscription now uses {@code r}; nothing at all when it is empty. */
  void set(int sub, Resources r) {
    int i = indexOf(sub);
    if (r.isEmpty()) {
      if (i >= 0) {
        count--;
        subs[i] = subs[count];
        values[i] = values[count];
        values[count] = null;
      }
    } else if (i >= 0) {
      values[i] = r;
    } else {
      add(sub, r);
    }
  }

  private int indexOf(int sub) {
    for (int i = 0; i < count; i++) {
      if (subs[i] == sub) {
        return i;
      }
    }
    return -1;
  }
}
