package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Refuse filters: after a framework declines an agent's resources under a role, that agent is
 * not offered to it again until the filter expires, it revives, or the agent's free resources
 * grow beyond what the framework refused (resources it has not seen are never filtered).
 *
 * <p>The allocation loop tests one bit in the agent's row of subscription bits; expiry runs off
 * a heap at the start of a cycle, and growth checks compare against the smallest snapshot on the
 * agent. Filters made while an agent's free resources did not change share one snapshot.
 */
final class ReferenceFilters {
  private static final class Filter {
    final int sub;
    final int agent;
    final Instant until;
    /** The unreserved scalars the framework refused on the agent; shared, never modified. */
    final long[] snapshot;
    boolean live = true;

    Filter(int sub, int agent, Instant until, long[] snapshot) {
      this.sub = sub;
      this.agent = agent;
      this.until = until;
      this.snapshot = snapshot;
    }
  }

  /** Per agent, which subscriptions filter it (bit {@code s} of the row), or {@code null}. */
  private long[][] byAgent = new long[0][];
  private int subWords;
  private int[] perAgentCount = new int[0];
  private List<Filter>[] perAgent = newLists(0);
  /** Per agent, the smallest snapshot of its live filters: free within it keeps them all valid. */
  private long[] cover = new long[0];
  /** Per agent, the snapshot of its latest filter, reused while free resources are the same. */
  private long[][] lastSnapshot = new long[0][];
  private PriorityQueue<Filter> expiry = new PriorityQueue<>(ReferenceFilters::byExpiry);
  /** Dropped filters still in {@link #expiry}; the heap is rebuilt when they dominate it. */
  private int dead;

  void ensureAgents(int capacity) {
    if (capacity > perAgentCount.length) {
      byAgent = Arrays.copyOf(byAgent, capacity);
      perAgentCount = Arrays.copyOf(perAgentCount, capacity);
      perAgent = Arrays.copyOf(perAgent, capacity);
      lastSnapshot = Arrays.copyOf(lastSnapshot, capacity);
      cover = Arrays.copyOf(cover, capacity * STRIDE);
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

  /**
   * The unreserved scalars a subscription's live filter on the agent refuses, or {@code null}.
   * Live view: do not modify.
   */
  long[] refused(int sub, int agent) {
    if (!isFiltered(sub, agent)) {
      return null;
    }
    for (Filter f : perAgent[agent]) {
      if (f.sub == sub) {
        return f.snapshot;
      }
    }
    return null;
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
    long[] snapshot = lastSnapshot[agent];
    if (snapshot == null || !Arrays.equals(snapshot, 0, STRIDE, refused, 0, STRIDE)) {
      snapshot = lastSnapshot[agent] = Arrays.copyOf(refused, STRIDE);
    }
    Filter f = new Filter(sub, agent, until, snapshot);
    if (byAgent[agent] == null) {
      byAgent[agent] = new long[subWords];
    }
    byAgent[agent][sub >>> 6] |= 1L << sub;
    List<Filter> list = perAgent[agent];
    if (list == null) {
      list = perAgent[agent] = new ArrayList<>(4);
    }
    int base = agent * STRIDE;
    if (list.isEmpty()) {
      System.arraycopy(snapshot, 0, cover, base, STRIDE);
    } else {
      for (int k = 0; k < STRIDE; k++) {
        cover[base + k] = Math.min(cover[base + k], snapshot[k]);
      }
    }
    list.add(f);
    perAgentCount[agent]++;
    expiry.add(f);
    return true;
  }

  /** Drops expired filters; returns whether any was dropped. */
  boolean expire(Instant now) {
    boolean any = false;
    while (!expiry.isEmpty() && !expiry.peek().until.isAfter(now)) {
      Filter f = expiry.poll();
      if (f.live) {
        f.live = false;
        unmark(f);
        perAgent[f.agent].remove(f);
        any = true;
      } else {
        dead--;
      }
    }
    return any;
  }

  Instant nextExpiry() {
    while (!expiry.isEmpty() && !expiry.peek().live) {
      expiry.poll();
      dead--;
    }
    return expiry.isEmpty() ? null : expiry.peek().until;
  }

  /** The agent's free resources grew: drops the filters whose snapshot no longer holds them. */
  void freeGrew(int agent, long[] free, int offset) {
    List<Filter> list = perAgent[agent];
    if (list == null || list.isEmpty()) {
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
    List<Filter> kept = new ArrayList<>(list.size());
    for (Filter f : list) {
      boolean holds = true;
      for (int k = 0; k < STRIDE && holds; k++) {
        holds = free[offset + k] <= f.snapshot[k];
      }
      if (holds) {
        kept.add(f);
      } else {
        retire(f);
      }
    }
    perAgent[agent] = kept;
    recomputeCover(agent);
  }

  /** Drops every filter of the subscription (on revive or removal). */
  void clearSub(int sub) {
    for (int a = 0; a < byAgent.length; a++) {
      if (isSet(byAgent[a], sub)) {
        removeOne(sub, a);
      }
    }
  }

  void clearAgent(int agent) {
    List<Filter> list = perAgent[agent];
    if (list != null) {
      list.forEach(this::retire);
      list.clear();
    }
    byAgent[agent] = null;
    lastSnapshot[agent] = null;
  }

  /** When the subscription's filter on the agent expires, or {@code null}. */
  Instant earliestFor(int sub, int agent) {
    List<Filter> list = perAgent[agent];
    if (list != null) {
      for (Filter f : list) {
        if (f.sub == sub) {
          return f.until;
        }
      }
    }
    return null;
  }

  private void removeOne(int sub, int agent) {
    for (Filter f : perAgent[agent]) {
      if (f.sub == sub) {
        drop(f);
        return;
      }
    }
    throw new IllegalStateException("filter bit set without a filter for sub " + sub + " agent " + agent);
  }

  /** Drops a filter that stays in the expiry heap until the heap is compacted or it expires. */
  private void drop(Filter f) {
    retire(f);
    perAgent[f.agent].remove(f);
  }

  private void retire(Filter f) {
    unmark(f);
    f.live = false;
    if (++dead > 1024 && dead > expiry.size() / 2) {
      PriorityQueue<Filter> live = new PriorityQueue<>(Math.max(16, expiry.size() - dead), ReferenceFilters::byExpiry);
      for (Filter g : expiry) {
        if (g.live) {
          live.add(g);
        }
      }
      expiry = live;
      dead = 0;
    }
  }

  private void unmark(Filter f) {
    byAgent[f.agent][f.sub >>> 6] &= ~(1L << f.sub);
    perAgentCount[f.agent]--;
  }

  private void recomputeCover(int agent) {
    int base = agent * STRIDE;
    Arrays.fill(cover, base, base + STRIDE, Long.MAX_VALUE);
    for (Filter f : perAgent[agent]) {
      for (int k = 0; k < STRIDE; k++) {
        cover[base + k] = Math.min(cover[base + k], f.snapshot[k]);
      }
    }
  }

  private static int byExpiry(Filter x, Filter y) {
    return x.until.compareTo(y.until);
  }

  @SuppressWarnings("unchecked")
  private static List<Filter>[] newLists(int n) {
    return (List<Filter>[]) new List<?>[n];
  }
}
