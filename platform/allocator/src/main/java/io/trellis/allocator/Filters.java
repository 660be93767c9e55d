package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import java.time.Instant;
import java.util.Arrays;

/**
 * Refuse filters: after a framework declines an agent's resources under a role, that agent is
 * not offered to it again until the filter expires, it revives, or the agent's free resources
 * grow beyond what the framework refused (resources it has not seen are never filtered).
 *
 * <p>The allocation loop tests one bit in the agent's row of subscription bits; expiry runs off
 * a heap at the start of a cycle, and growth checks compare against the smallest snapshot on the
 * agent. Filters made while an agent's free resources did not change share one snapshot. The
 * filters themselves are records of ints in a {@link FilterStore}, not objects: a cluster of 10k
 * agents and 1k frameworks that all decline holds 10M of them.
 */
final class Filters {
  private final FilterStore store;
  /** Per agent, which subscriptions filter it (bit {@code s} of the row), or {@code null}. */
  private long[][] byAgent = new long[0][];
  private int subWords;
  private int[] perAgentCount = new int[0];
  /**
   * Per agent, at most the smallest snapshot of its live filters: free within it keeps them all
   * valid. Removing a filter leaves it as it is (still a lower bound); a full check corrects it.
   */
  private long[] cover = new long[0];
  /** Per agent, the snapshot of its latest filter, reused while free resources are the same; -1 for none. */
  private int[] lastSnapshot = new int[0];

  // Snapshots: the unreserved scalars a filter refused, shared by filters and never modified.
  private long[][] snapshots = new long[16][];
  /** References to each snapshot: its filters, plus one while it is an agent's last snapshot. */
  private int[] snapshotRefs = new int[16];
  private int[] freeSnapshots = new int[16];
  private int freeSnapshotCount;
  private int snapshotLimit;

  Filters() {
    this(new FilterStore());
  }

  /** Filters kept in {@code store} (tests pass one that packs its pages early). */
  Filters(FilterStore store) {
    this.store = store;
  }

  void ensureAgents(int capacity) {
    if (capacity > perAgentCount.length) {
      int old = perAgentCount.length;
      byAgent = Arrays.copyOf(byAgent, capacity);
      perAgentCount = Arrays.copyOf(perAgentCount, capacity);
      lastSnapshot = Arrays.copyOf(lastSnapshot, capacity);
      Arrays.fill(lastSnapshot, old, capacity, -1);
      cover = Arrays.copyOf(cover, capacity * STRIDE);
      store.ensureAgents(capacity);
    }
  }

  void ensureSubs(int capacity) {
    int needWords = (capacity + 63) >>> 6;
    if (needWords > subWords) {
      for (int a = 0; a < byAgent.length; a++) {
        if (byAgent[a] != null) {
          byAgent[a] = Arrays.copyOf(byAgent[a], needWords);
        }
      }
      subWords = needWords;
    }
    store.ensureSubs(needWords << 6);
  }

  /**
   * The subscriptions filtering the agent as bit words (bit {@code s} set when {@code s}
   * filters it), or {@code null} when none does. Live view: do not modify.
   */
  long[] filteringSubs(int agent) {
    return byAgent[agent];
  }

  static boolean isSet(long[] row, int sub) {
    return row != null && (row[sub >>> 6] & (1L << sub)) != 0;
  }

  boolean isFiltered(int sub, int agent) {
    return isSet(byAgent[agent], sub);
  }

  /** How many subscriptions filter the agent. */
  int count(int agent) {
    return perAgentCount[agent];
  }

  /** How many filters there are in all. */
  int size() {
    return store.size();
  }

  /**
   * The unreserved scalars a subscription's live filter on the agent refuses, or {@code null}.
   * Live view: do not modify.
   */
  long[] refused(int sub, int agent) {
    if (!isFiltered(sub, agent)) {
      return null;
    }
    int id = store.find(sub, agent);
    return id < 0 ? null : snapshots[store.snapshot(id)];
  }

  /**
   * Filters the agent for the subscription until {@code until}, as long as its free resources
   * stay within {@code refused}. Nothing is filtered when they already exceed it: the agent has
   * resources the framework has not refused (freed after its offer was made), and it gets them.
   *
   * @return whether a filter was made
   */
  boolean add(int sub, int agent, Instant until, long[] refused, long[] free, int offset) {
    if (isFiltered(sub, agent)) {
      removeOne(sub, agent);
    }
    for (int k = 0; k < STRIDE; k++) {
      if (free[offset + k] > refused[k]) {
        return false;
      }
    }
    int snapshot = lastSnapshot[agent];
    if (snapshot < 0 || !Arrays.equals(snapshots[snapshot], 0, STRIDE, refused, 0, STRIDE)) {
      if (snapshot >= 0) {
        release(snapshot);
      }
      snapshot = lastSnapshot[agent] = newSnapshot(refused);
    }
    snapshotRefs[snapshot]++;
    if (byAgent[agent] == null) {
      byAgent[agent] = new long[subWords];
    }
    byAgent[agent][sub >>> 6] |= 1L << sub;
    int base = agent * STRIDE;
    long[] taken = snapshots[snapshot];
    if (perAgentCount[agent] == 0) {
      System.arraycopy(taken, 0, cover, base, STRIDE);
    } else {
      for (int k = 0; k < STRIDE; k++) {
        cover[base + k] = Math.min(cover[base + k], taken[k]);
      }
    }
    perAgentCount[agent]++;
    store.add(sub, agent, until.getEpochSecond(), until.getNano(), snapshot);
    return true;
  }

  /** Drops expired filters; returns whether any was dropped. */
  boolean expire(Instant now) {
    long second = now.getEpochSecond();
    int nano = now.getNano();
    boolean any = false;
    for (int id = store.earliest(); id >= 0 && store.dueBy(id, second, nano); id = store.earliest()) {
      drop(id);
      any = true;
    }
    store.compactIfSparse();
    return any;
  }

  Instant nextExpiry() {
    int id = store.earliest();
    return id < 0 ? null : store.until(id);
  }

  /** The agent's free resources grew: drops the filters whose snapshot no longer holds them. */
  void freeGrew(int agent, long[] free, int offset) {
    if (perAgentCount[agent] == 0) {
      return;
    }
    int base = agent * STRIDE;
    boolean covered = true;
    for (int k = 0; k < STRIDE && covered; k++) {
      covered = free[offset + k] <= cover[base + k];
    }
    if (covered) {
      return;
    }
    Arrays.fill(cover, base, base + STRIDE, Long.MAX_VALUE);
    for (int id = store.firstOnAgent(agent), next; id >= 0; id = next) {
      next = store.nextOnAgent(id);
      long[] snapshot = snapshots[store.snapshot(id)];
      boolean holds = true;
      for (int k = 0; k < STRIDE && holds; k++) {
        holds = free[offset + k] <= snapshot[k];
      }
      if (holds) {
        for (int k = 0; k < STRIDE; k++) {
          cover[base + k] = Math.min(cover[base + k], snapshot[k]);
        }
      } else {
        drop(id);
      }
    }
    store.compactIfSparse();
  }

  /** Drops every filter of the subscription (on revive or removal). */
  void clearSub(int sub) {
    for (int id = store.firstOfSub(sub), next; id >= 0; id = next) {
      next = store.nextOfSub(id);
      drop(id);
    }
    store.compactIfSparse();
  }

  void clearAgent(int agent) {
    for (int id = store.firstOnAgent(agent), next; id >= 0; id = next) {
      next = store.nextOnAgent(id);
      drop(id);
    }
    byAgent[agent] = null;
    if (lastSnapshot[agent] >= 0) {
      release(lastSnapshot[agent]);
      lastSnapshot[agent] = -1;
    }
    store.compactIfSparse();
  }

  /** When the subscription's filter on the agent expires, or {@code null}. */
  Instant earliestFor(int sub, int agent) {
    int id = isFiltered(sub, agent) ? store.find(sub, agent) : -1;
    return id < 0 ? null : store.until(id);
  }

  private void removeOne(int sub, int agent) {
    int id = store.find(sub, agent);
    if (id < 0) {
      throw new IllegalStateException("filter bit set without a filter for sub " + sub + " agent " + agent);
    }
    drop(id);
  }

  private void drop(int id) {
    int agent = store.agent(id);
    int sub = store.sub(id);
    byAgent[agent][sub >>> 6] &= ~(1L << sub);
    perAgentCount[agent]--;
    release(store.snapshot(id));
    store.remove(id);
  }

  private int newSnapshot(long[] refused) {
    int id;
    if (freeSnapshotCount > 0) {
      id = freeSnapshots[--freeSnapshotCount];
    } else {
      id = snapshotLimit++;
      if (id == snapshots.length) {
        snapshots = Arrays.copyOf(snapshots, id * 2);
        snapshotRefs = Arrays.copyOf(snapshotRefs, id * 2);
      }
    }
    snapshots[id] = Arrays.copyOf(refused, STRIDE);
    snapshotRefs[id] = 1;
    return id;
  }

  private void release(int snapshot) {
    if (--snapshotRefs[snapshot] == 0) {
      snapshots[snapshot] = null;
      if (freeSnapshotCount == freeSnapshots.length) {
        freeSnapshots = Arrays.copyOf(freeSnapshots, freeSnapshotCount * 2);
      }
      freeSnapshots[freeSnapshotCount++] = snapshot;
    }
  }
}
