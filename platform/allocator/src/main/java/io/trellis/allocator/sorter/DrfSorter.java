package io.trellis.allocator.sorter;

import java.util.Arrays;

/**
 * Weighted Dominant Resource Fairness: a client's share is the largest, over resource kinds, of
 * its allocation divided by the cluster total, divided by its weight. A higher priority goes
 * first; ties go to the lower handle.
 *
 * <p>State lives in flat primitive arrays. The order is kept sorted by (priority, share, handle), so a
 * client's position is found by binary search and a change to one client's allocation moves only
 * that client (two binary searches and one array shift): the order is never re-sorted on the
 * allocation path. A change of totals re-sorts lazily, once, on the next read.
 */
public final class DrfSorter implements Sorter {
  private final int kinds;
  private final boolean[] excluded;
  private final long[] total;

  private long[] alloc = new long[0];
  private double[] weight = new double[0];
  private int[] priority = new int[0];
  private double[] share = new double[0];
  /** Whether each client is in {@link #order}. */
  private boolean[] active = new boolean[0];
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
    priority[c] = 0;
    Arrays.fill(alloc, c * kinds, (c + 1) * kinds, 0L);
    share[c] = 0;
    active[c] = false;
    insert(c);
    return c;
  }

  @Override
  public void remove(int client) {
    check(client);
    if (active[client]) {
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
    if (active[client] && !dirty) {
      cut(client);
      weight[client] = w;
      insert(client);
    } else {
      weight[client] = w;
      share[client] = computeShare(client);
    }
  }

  @Override
  public void setPriority(int client, int p) {
    check(client);
    if (priority[client] == p) {
      return;
    }
    if (active[client] && !dirty) {
      cut(client);
      priority[client] = p;
      insert(client);
    } else {
      priority[client] = p;
    }
  }

  @Override
  public double weight(int client) {
    check(client);
    return weight[client];
  }

  @Override
  public void activate(int client) {
    check(client);
    if (!active[client]) {
      insert(client);
    }
  }

  @Override
  public void deactivate(int client) {
    check(client);
    if (active[client]) {
      cut(client);
    }
  }

  @Override
  public boolean isActive(int client) {
    check(client);
    return active[client];
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
      if (alloc[base + k] < delta[k]) {
        throw new IllegalStateException("client " + client + " holds " + alloc[base + k]
            + " of kind " + k + ", cannot give back " + delta[k]);
      }
    }
    for (int k = 0; k < kinds; k++) {
      alloc[base + k] -= delta[k];
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
    return active[client] && !dirty ? share[client] : computeShare(client);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int clientAt(int position) {
    if (position < 0 || position >= size) {
      throw new IndexOutOfBoundsException("position " + position + " outside the " + size + " active clients");
    }
    if (dirty) {
      resort();
    }
    return order[position];
  }

  @Override
  public int positionOf(int client) {
    check(client);
    if (!active[client]) {
      return -1;
    }
    if (dirty) {
      resort();
    }
    return find(client);
  }

  @Override
  public boolean precedes(int a, int b) {
    check(a);
    check(b);
    if (dirty) {
      resort();
    }
    return before(a, b);
  }

  /** The position of an active client, by binary search on its stored share and handle. */
  private int find(int client) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = order[mid];
      if (c == client) {
        return mid;
      }
      if (before(c, client)) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    throw new IllegalStateException("sorter order lost client " + client);
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
    if (priority[a] != priority[b]) {
      return priority[a] > priority[b];
    }
    return share[a] < share[b] || (share[a] == share[b] && a < b);
  }

  /** Moves a client whose share may have changed to its place in the order. */
  private void reposition(int client) {
    if (dirty || !active[client]) {
      share[client] = computeShare(client);
      return;
    }
    int p = find(client);
    share[client] = computeShare(client);
    if (p + 1 < size && before(order[p + 1], client)) {
      // Moves right: past every client that now goes before it.
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
      order[lo] = client;
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
      order[lo] = client;
    }
  }

  private void insert(int client) {
    share[client] = computeShare(client);
    active[client] = true;
    int at = size;
    if (!dirty) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (before(order[mid], client)) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      at = lo;
      System.arraycopy(order, at, order, at + 1, size - at);
    }
    order[at] = client;
    size++;
  }

  private void cut(int client) {
    int p = dirty ? linearFind(client) : find(client);
    System.arraycopy(order, p + 1, order, p, size - p - 1);
    size--;
    active[client] = false;
  }

  private int linearFind(int client) {
    for (int i = 0; i < size; i++) {
      if (order[i] == client) {
        return i;
      }
    }
    throw new IllegalStateException("sorter order lost client " + client);
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
  }

  private void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    int cap = Math.max(16, Math.max(n, capacity * 2));
    alloc = Arrays.copyOf(alloc, cap * kinds);
    weight = Arrays.copyOf(weight, cap);
    priority = Arrays.copyOf(priority, cap);
    share = Arrays.copyOf(share, cap);
    active = Arrays.copyOf(active, cap);
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
