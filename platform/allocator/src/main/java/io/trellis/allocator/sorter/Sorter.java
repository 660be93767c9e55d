package io.trellis.allocator.sorter;

/**
 * A fairness policy: keeps clients (roles, or frameworks inside a role) in the order in which
 * they should next receive resources, lowest share first.
 *
 * <p>Clients are small integer handles returned by {@link #add}. Allocations are vectors of
 * scalar amounts in thousandths, one slot per resource kind ({@code cpus}, {@code mem}, ...);
 * the caller owns the mapping from names to kinds. Only active clients take part in the order.
 * Implementations are not thread-safe: one event loop owns a sorter.
 */
public interface Sorter {
  /** Adds an active client with no allocation and returns its handle. */
  int add(double weight);

  /** Removes a client; its handle may be reused by a later {@link #add}. */
  void remove(int client);

  void setWeight(int client, double weight);

  double weight(int client);

  /**
   * Sets a client's priority (0 when never set): a client of higher priority comes before every
   * client of lower priority whatever their shares; shares order clients of equal priority.
   */
  void setPriority(int client, int priority);

  /** Puts an inactive client back into the order. */
  void activate(int client);

  /** Takes a client out of the order while keeping its allocation. */
  void deactivate(int client);

  boolean isActive(int client);

  /** Excludes a resource kind from fairness (for example scarce {@code gpus}). */
  void setExcluded(int kind, boolean excluded);

  /** The cluster totals per kind, against which shares are computed; the array is copied. */
  void setTotal(long[] total);

  /** Adds {@code delta} (one amount per kind) to a client's allocation. */
  void allocated(int client, long[] delta);

  /** Subtracts {@code delta} (one amount per kind) from a client's allocation. */
  void unallocated(int client, long[] delta);

  long allocation(int client, int kind);

  /** The client's share: its dominant share divided by its weight. */
  double share(int client);

  /** The number of active clients. */
  int size();

  /** The active client at {@code position} in fairness order, 0 being the most deserving. */
  int clientAt(int position);

  /** Whether active client {@code a} comes before active client {@code b} in fairness order. */
  default boolean precedes(int a, int b) {
    return positionOf(a) < positionOf(b);
  }

  /** The position of an active client in fairness order, or -1 when it is inactive. */
  default int positionOf(int client) {
    for (int p = 0; p < size(); p++) {
      if (clientAt(p) == client) {
        return p;
      }
    }
    return -1;
  }
}
