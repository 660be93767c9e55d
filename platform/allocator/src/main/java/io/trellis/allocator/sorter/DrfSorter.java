package io.trellis.allocator.sorter;

import java.util.Arrays;

/**
 * Weighted Dominant Resource Fairness: a client's share is the largest, over resource kinds, of
 * its allocation divided by the cluster total, divided by its weight. Ties go to the lower handle.
 *
 * <p>State lives in flat primitive arrays. A change to one client's allocation moves only that
 * client (binary search, then a shift of the clients it passes), so the order is never re-sorted
 * on the allocation path; a change of totals re-sorts lazily, once, on the next read.
 */
public final class DrfSorter implements Sorter {
  private final int kinds;
  private final boolean[] excluded;
  private final long[] total;

  private long[] alloc = new long[0];
  private double[] weight = new double[0];
  private double[] share = new double[0];
  /** Position of each client in {@link #order}, or -1 when inactive or removed. */
  private int[] pos = new int[0];
  private boolean[] live = new boolean[0];
  private int[] order = new int[0];
  private int size;
  private int capacity;
  private int[] freeHandles = new int[0];
  private int freeCount;
  private int nextHandle;
  private boolean dirty;

  /** A sorter over {@code kinds} resource kinds. */
  public DrfSorter(int kinds) {
    if (kinds <= 0) {
      throw new IllegalArgumentException("kinds must be positive, got " + kinds);
    }
    this.kinds = kinds;
    this.excluded = new boolean[kinds];
    this.total = new long[kinds];
  }

  @Override
  public int add(double w) {
    checkWeight(w);
    int c;
    if (freeCount > 0) {
      c = freeHandles[--freeCount];
    } else {
      c = nextHandle++;
      ensureCapacity(nextHandle);
    }
    live[c] = true;
    weight[c] = w;
    Arrays.fill(alloc, c * kinds, (c + 1) * kinds, 0L);
    share[c] = 0;
    pos[c] = -1;
    insert(c);
    return c;
  }

  @Override
  public void remove(int client) {
    check(client);
    if (pos[client] >= 0) {
      cut(client);
    }
    live[client] = false;
    if (freeCount == freeHandles.length) {
      freeHandles = Arrays.copyOf(freeHandles, Math.max(8, freeCount * 2));
    }
    freeHandles[freeCount++] = client;
  }

  @Override
  public void setWeight(int client, double w) {
    check(client);
    checkWeight(w);
    weight[client] = w;
    reposition(client);
  }

  @Override
  public double weight(int client) {
    check(client);
    return weight[client];
  }

  @Override
  public void activate(int client) {
    check(client);
    if (pos[client] < 0) {
      share[client] = computeShare(client);
      insert(client);
    }
  }

  @Override
  public void deactivate(int client) {
    check(client);
    if (pos[client] >= 0) {
      cut(client);
    }
  }

  @Override
  public boolean isActive(int client) {
    check(client);
    return pos[client] >= 0;
  }

  @Override
  public void setExcluded(int kind, boolean value) {
    excluded[kind] = value;
    dirty = true;
  }

  @Override
  public void setTotal(long[] totals) {
    System.arraycopy(totals, 0, total, 0, kinds);
    dirty = true;
  }

  @Override
  public void allocated(int client, long[] delta) {
    check(client);
    int base = client * kinds;
    for (int k = 0; k < kinds; k++) {
      alloc[base + k] += delta[k];
    }
    reposition(client);
  }

  @Override
  public void unallocated(int client, long[] delta) {
    check(client);
    int base = client * kinds;
    for (int k = 0; k < kinds; k++) {
      long left = alloc[base + k] - delta[k];
      if (left < 0) {
        throw new IllegalStateException("client " + client + " would hold a negative allocation of kind " + k);
      }
      alloc[base + k] = left;
    }
    reposition(client);
  }

  @Override
  public long allocation(int client, int kind) {
    check(client);
    return alloc[client * kinds + kind];
  }

  @Override
  public double share(int client) {
    check(client);
    return dirty ? computeShare(client) : share[client];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int clientAt(int position) {
    if (dirty) {
      resort();
    }
    return order[position];
  }

  @Override
  public int positionOf(int client) {
    check(client);
    if (dirty) {
      resort();
    }
    return pos[client];
  }

  private double computeShare(int client) {
    int base = client * kinds;
    double dominant = 0;
    for (int k = 0; k < kinds; k++) {
      if (!excluded[k] && total[k] > 0) {
        double s = (double) alloc[base + k] / total[k];
        if (s > dominant) {
          dominant = s;
        }
      }
    }
    return dominant / weight[client];
  }

  /** Whether client a goes before client b. */
  private boolean before(int a, int b) {
    return share[a] < share[b] || (share[a] == share[b] && a < b);
  }

  private void reposition(int client) {
    if (dirty) {
      return;
    }
    share[client] = computeShare(client);
    int p = pos[client];
    if (p < 0) {
      return;
    }
    if (p + 1 < size && before(order[p + 1], client)) {
      // Moves right: find the last position whose client goes before this one.
      int lo = p + 1;
      int hi = size - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (before(order[mid], client)) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      System.arraycopy(order, p + 1, order, p, lo - p);
      for (int i = p; i < lo; i++) {
        pos[order[i]] = i;
      }
      order[lo] = client;
      pos[client] = lo;
    } else if (p > 0 && before(client, order[p - 1])) {
      int lo = 0;
      int hi = p - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (before(client, order[mid])) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      System.arraycopy(order, lo, order, lo + 1, p - lo);
      for (int i = lo + 1; i <= p; i++) {
        pos[order[i]] = i;
      }
      order[lo] = client;
      pos[client] = lo;
    }
  }

  private void insert(int client) {
    if (dirty) {
      order[size] = client;
      pos[client] = size++;
      return;
    }
    share[client] = computeShare(client);
    order[size] = client;
    pos[client] = size++;
    reposition(client);
  }

  private void cut(int client) {
    int p = pos[client];
    System.arraycopy(order, p + 1, order, p, size - p - 1);
    size--;
    for (int i = p; i < size; i++) {
      pos[order[i]] = i;
    }
    pos[client] = -1;
  }

  /** Recomputes every share and restores the order; insertion sort, as the order is nearly right. */
  private void resort() {
    dirty = false;
    for (int i = 0; i < size; i++) {
      share[order[i]] = computeShare(order[i]);
    }
    for (int i = 1; i < size; i++) {
      int c = order[i];
      int j = i - 1;
      while (j >= 0 && before(c, order[j])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = c;
    }
    for (int i = 0; i < size; i++) {
      pos[order[i]] = i;
    }
  }

  private void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    int cap = Math.max(16, Math.max(n, capacity * 2));
    alloc = Arrays.copyOf(alloc, cap * kinds);
    weight = Arrays.copyOf(weight, cap);
    share = Arrays.copyOf(share, cap);
    pos = Arrays.copyOf(pos, cap);
    live = Arrays.copyOf(live, cap);
    order = Arrays.copyOf(order, cap);
    capacity = cap;
  }

  private void check(int client) {
    if (client < 0 || client >= nextHandle || !live[client]) {
      throw new IllegalArgumentException("unknown sorter client " + client);
    }
  }

  private static void checkWeight(double w) {
    if (!(w > 0) || Double.isInfinite(w)) {
      throw new IllegalArgumentException("weight must be a positive finite number, got " + w);
    }
  }
}
