package io.trellis.allocator.sorter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A deliberately naive weighted DRF {@link Sorter} for tests: it caches nothing, recomputing every
 * share and sorting every active client from scratch on each read, so that it is obviously right.
 *
 * <p>It hands out handles exactly as {@link DrfSorter} does (the most recently removed handle
 * first, otherwise the next new number), so the two can be compared handle for handle. A share is
 * computed with the same floating-point operations in the same order, so equal inputs give
 * bit-for-bit equal shares and ties fall the same way.
 */
final class ReferenceSorter implements Sorter {
  private final int kinds;
  private final boolean[] excluded;
  private final long[] total;
  /** Indexed by handle; null when the handle was never handed out or its client was removed. */
  private final List<Client> clients = new ArrayList<>();
  private final Deque<Integer> freeHandles = new ArrayDeque<>();

  private static final class Client {
    final long[] allocation;
    double weight;
    int priority;
    boolean active = true;

    Client(int kinds, double weight) {
      this.allocation = new long[kinds];
      this.weight = weight;
    }
  }

  ReferenceSorter(int kinds) {
    if (kinds <= 0) {
      throw new IllegalArgumentException("kinds must be positive, got " + kinds);
    }
    this.kinds = kinds;
    this.excluded = new boolean[kinds];
    this.total = new long[kinds];
  }

  @Override
  public int add(double weight) {
    checkWeight(weight);
    Client client = new Client(kinds, weight);
    if (!freeHandles.isEmpty()) {
      int handle = freeHandles.pop();
      clients.set(handle, client);
      return handle;
    }
    clients.add(client);
    return clients.size() - 1;
  }

  @Override
  public void remove(int client) {
    get(client);
    clients.set(client, null);
    freeHandles.push(client);
  }

  @Override
  public void setWeight(int client, double weight) {
    Client c = get(client);
    checkWeight(weight);
    c.weight = weight;
  }

  @Override
  public void setPriority(int client, int priority) {
    get(client).priority = priority;
  }

  @Override
  public double weight(int client) {
    return get(client).weight;
  }

  @Override
  public void activate(int client) {
    get(client).active = true;
  }

  @Override
  public void deactivate(int client) {
    get(client).active = false;
  }

  @Override
  public boolean isActive(int client) {
    return get(client).active;
  }

  @Override
  public void setExcluded(int kind, boolean value) {
    excluded[kind] = value;
  }

  @Override
  public void setTotal(long[] totals) {
    System.arraycopy(totals, 0, total, 0, kinds);
  }

  @Override
  public void allocated(int client, long[] delta) {
    long[] allocation = get(client).allocation;
    for (int k = 0; k < kinds; k++) {
      allocation[k] += delta[k];
    }
  }

  @Override
  public void unallocated(int client, long[] delta) {
    long[] allocation = get(client).allocation;
    for (int k = 0; k < kinds; k++) {
      if (allocation[k] - delta[k] < 0) {
        throw new IllegalStateException(
            "client " + client + " would hold a negative allocation of kind " + k);
      }
    }
    for (int k = 0; k < kinds; k++) {
      allocation[k] -= delta[k];
    }
  }

  @Override
  public long allocation(int client, int kind) {
    return get(client).allocation[kind];
  }

  @Override
  public double share(int client) {
    Client c = get(client);
    double dominant = 0;
    for (int k = 0; k < kinds; k++) {
      if (!excluded[k] && total[k] > 0) {
        double s = (double) c.allocation[k] / total[k];
        if (s > dominant) {
          dominant = s;
        }
      }
    }
    return dominant / c.weight;
  }

  @Override
  public int size() {
    return order().size();
  }

  @Override
  public int clientAt(int position) {
    return order().get(position);
  }

  @Override
  public int positionOf(int client) {
    get(client);
    return order().indexOf(client);
  }

  /**
   * Every active client, highest priority first, then lowest share, ties to the lower handle: what {@link #clientAt}
   * returns for positions 0 to {@code size() - 1}, in one sort rather than one per position.
   */
  List<Integer> order() {
    List<Integer> active = new ArrayList<>();
    for (int handle = 0; handle < clients.size(); handle++) {
      Client c = clients.get(handle);
      if (c != null && c.active) {
        active.add(handle);
      }
    }
    active.sort(Comparator.comparingInt((Integer h) -> -clients.get(h).priority).thenComparingDouble(this::share)
        .thenComparingInt(Integer::intValue));
    return active;
  }

  private Client get(int client) {
    Client c = client >= 0 && client < clients.size() ? clients.get(client) : null;
    if (c == null) {
      throw new IllegalArgumentException("unknown sorter client " + client);
    }
    return c;
  }

  private static void checkWeight(double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive finite number, got " + weight);
    }
  }
}
