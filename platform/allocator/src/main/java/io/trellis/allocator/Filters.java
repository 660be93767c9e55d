package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Refuse filters: after a framework declines an agent's resources under a role, that agent is
 * not offered to it again until the filter expires, it revives, or the agent gains resources
 * beyond what was free when it declined.
 *
 * <p>The allocation loop only tests one bit per (subscription, agent); expiry runs off a heap at
 * the start of a cycle and growth checks compare against the smallest snapshot on the agent.
 */
final class Filters {
  private static final class Filter {
    final int sub;
    final int agent;
    final Instant until;
    /** Free unreserved scalars of the agent when the filter was made. */
    final long[] snapshot;
    boolean live = true;

    Filter(int sub, int agent, Instant until, long[] snapshot) {
      this.sub = sub;
      this.agent = agent;
      this.until = until;
      this.snapshot = snapshot;
    }
  }

  private long[][] bits = new long[0][];
  private int words;
  /** The same bits by agent: which subscriptions filter the agent. */
  private long[][] byAgent = new long[0][];
  private int subWords;
  private int[] perAgentCount = new int[0];
  private List<Filter>[] perAgent = newLists(0);
  /** Per agent, the smallest snapshot of its live filters: free within it keeps them all valid. */
  private long[] cover = new long[0];
  private final PriorityQueue<Filter> expiry =
      new PriorityQueue<>((x, y) -> x.until.compareTo(y.until));

  void ensureAgents(int capacity) {
    int needWords = (capacity + 63) >>> 6;
    if (needWords > words) {
      for (int s = 0; s < bits.length; s++) {
        if (bits[s] != null) {
          bits[s] = Arrays.copyOf(bits[s], needWords);
        }
      }
      words = needWords;
    }
    if (capacity > perAgentCount.length) {
      byAgent = Arrays.copyOf(byAgent, capacity);
      perAgentCount = Arrays.copyOf(perAgentCount, capacity);
      perAgent = Arrays.copyOf(perAgent, capacity);
      cover = Arrays.copyOf(cover, capacity * STRIDE);
    }
  }

  void ensureSubs(int capacity) {
    if (capacity > bits.length) {
      bits = Arrays.copyOf(bits, Math.max(capacity, bits.length * 2));
    }
    int needWords = (bits.length + 63) >>> 6;
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

  boolean isFiltered(int sub, int agent) {
    long[] b = bits[sub];
    return b != null && (b[agent >>> 6] & (1L << agent)) != 0;
  }

  /** How many subscriptions filter the agent. */
  int count(int agent) {
    return perAgentCount[agent];
  }

  void add(int sub, int agent, Instant until, long[] free, int offset) {
    if (isFiltered(sub, agent)) {
      removeOne(sub, agent);
    }
    long[] snapshot = Arrays.copyOfRange(free, offset, offset + STRIDE);
    Filter f = new Filter(sub, agent, until, snapshot);
    if (bits[sub] == null) {
      bits[sub] = new long[words];
    }
    bits[sub][agent >>> 6] |= 1L << agent;
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
  }

  /** Drops expired filters; returns whether any was dropped. */
  boolean expire(Instant now) {
    boolean any = false;
    while (!expiry.isEmpty() && !expiry.peek().until.isAfter(now)) {
      Filter f = expiry.poll();
      if (f.live) {
        drop(f);
        any = true;
      }
    }
    return any;
  }

  Instant nextExpiry() {
    while (!expiry.isEmpty() && !expiry.peek().live) {
      expiry.poll();
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
    for (Filter f : new ArrayList<>(list)) {
      for (int k = 0; k < STRIDE; k++) {
        if (free[offset + k] > f.snapshot[k]) {
          drop(f);
          break;
        }
      }
    }
    recomputeCover(agent);
  }

  void clearSub(int sub) {
    long[] b = bits[sub];
    if (b == null) {
      return;
    }
    for (int w = 0; w < b.length; w++) {
      while (b[w] != 0) {
        int agent = (w << 6) + Long.numberOfTrailingZeros(b[w]);
        removeOne(sub, agent);
      }
    }
  }

  void clearAgent(int agent) {
    List<Filter> list = perAgent[agent];
    if (list != null) {
      for (Filter f : new ArrayList<>(list)) {
        drop(f);
      }
    }
  }

  /** The earliest expiry among the subscription's filters, or {@code null}. */
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

  private void drop(Filter f) {
    f.live = false;
    bits[f.sub][f.agent >>> 6] &= ~(1L << f.agent);
    byAgent[f.agent][f.sub >>> 6] &= ~(1L << f.sub);
    perAgent[f.agent].remove(f);
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

  @SuppressWarnings("unchecked")
  private static List<Filter>[] newLists(int n) {
    return (List<Filter>[]) new List<?>[n];
  }
}
