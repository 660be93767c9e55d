package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The filters kept as records of ints behave exactly as the object-per-filter implementation
 * they replaced ({@link ReferenceFilters}): the same operations in random order give the same
 * answers to every question the allocator asks.
 */
class FiltersRandomizedTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void randomOperationsGiveTheSameAnswersAsTheReference() {
    for (long seed = 1; seed <= 20; seed++) {
      run(seed, 16, 140, 1000);
    }
  }

  @Test
  void manyFiltersAcrossPagesExpireAndClearLikeTheReference() {
    // More filters than one page of the store holds (32,768), so ids cross pages and get reused.
    int agents = 400;
    int subs = 100;
    Random random = new Random(99);
    // Packs its pages as soon as three quarters are empty: ids renumbered across pages.
    FilterStore store = new FilterStore(0);
    Filters filters = new Filters(store);
    ReferenceFilters reference = new ReferenceFilters();
    filters.ensureAgents(agents);
    reference.ensureAgents(agents);
    filters.ensureSubs(subs);
    reference.ensureSubs(subs);
    long[] free = new long[agents * STRIDE];
    Instant now = START;
    for (int round = 0; round < 2; round++) {
      for (int a = 0; a < agents; a++) {
        for (int s = 0; s < subs; s++) {
          long[] refused = vector(random);
          setRow(free, a, refused);
          Instant until = now.plusSeconds(1 + random.nextInt(600));
          assertEquals(reference.add(s, a, until, refused, free, a * STRIDE),
              filters.add(s, a, until, refused, free, a * STRIDE));
        }
      }
      assertEquals(agents * subs, filters.size());
      same(filters, reference, 0, agents, 0, subs, "round " + round + " filled");
      for (int i = 0; i < 20; i++) {
        int a = random.nextInt(agents);
        setRow(free, a, vector(random));
        reference.freeGrew(a, free, a * STRIDE);
        filters.freeGrew(a, free, a * STRIDE);
        int s = random.nextInt(subs);
        reference.clearSub(s);
        filters.clearSub(s);
      }
      now = now.plusSeconds(450);
      assertEquals(reference.expire(now), filters.expire(now));
      reference.clearAgent(round);
      filters.clearAgent(round);
      same(filters, reference, 0, agents, 0, subs, "round " + round + " thinned");
    }
    assertTrue(store.compactions() > 0, "the store was never packed");
    now = now.plusSeconds(601);
    assertEquals(reference.expire(now), filters.expire(now));
    assertEquals(0, filters.size());
    same(filters, reference, 0, agents, 0, subs, "all expired");
  }

  private static void run(long seed, int agentCount, int subCount, int steps) {
    Random random = new Random(seed);
    // Odd seeds pack the store whenever it is three quarters empty, so ids are renumbered often.
    Filters filters = seed % 2 == 1 ? new Filters(new FilterStore(0)) : new Filters();
    ReferenceFilters reference = new ReferenceFilters();
    long[] free = new long[agentCount * STRIDE];
    int agents = 0;
    int subs = 0;
    Instant now = START;
    String where = "seed " + seed;
    for (int step = 0; step < steps; step++) {
      if (agents < agentCount && (agents == 0 || random.nextInt(50) == 0)) {
        agents = Math.min(agentCount, agents + 1 + random.nextInt(8));
        filters.ensureAgents(agents);
        reference.ensureAgents(agents);
      }
      if (subs < subCount && (subs == 0 || random.nextInt(40) == 0)) {
        subs = Math.min(subCount, subs + 1 + random.nextInt(40));
        filters.ensureSubs(subs);
        reference.ensureSubs(subs);
      }
      int a = random.nextInt(agents);
      int s = random.nextInt(subs);
      int dice = random.nextInt(100);
      String op;
      if (dice < 70) {
        long[] refused = vector(random);
        setRow(free, a, random.nextInt(4) == 0 ? vector(random) : refused);
        Instant until = now.plus(Duration.ofMillis(1 + random.nextInt(5000)))
            .plusNanos(random.nextInt(3));
        op = "add " + s + "@" + a;
        assertEquals(reference.add(s, a, until, refused, free, a * STRIDE),
            filters.add(s, a, until, refused, free, a * STRIDE), where + " " + op);
      } else if (dice < 85) {
        now = now.plus(Duration.ofMillis(random.nextInt(400)));
        op = "expire " + now;
        assertEquals(reference.expire(now), filters.expire(now), where + " " + op);
      } else if (dice < 95) {
        setRow(free, a, vector(random));
        op = "freeGrew " + a;
        reference.freeGrew(a, free, a * STRIDE);
        filters.freeGrew(a, free, a * STRIDE);
      } else if (dice < 98) {
        op = "clearSub " + s;
        reference.clearSub(s);
        filters.clearSub(s);
      } else {
        op = "clearAgent " + a;
        reference.clearAgent(a);
        filters.clearAgent(a);
      }
      String after = where + " after step " + step + " (" + op + ")";
      if (step % 40 == 0 || step == steps - 1) {
        same(filters, reference, 0, agents, 0, subs, after);
      } else {
        // Every step: the agent and the subscription it touched.
        same(filters, reference, a, a + 1, 0, subs, after);
        same(filters, reference, 0, agents, s, s + 1, after);
      }
    }
  }

  private static void same(Filters filters, ReferenceFilters reference, int fromAgent, int toAgent,
      int fromSub, int toSub, String where) {
    assertEquals(reference.nextExpiry(), filters.nextExpiry(), where + ": next expiry");
    for (int a = fromAgent; a < toAgent; a++) {
      assertEquals(reference.count(a), filters.count(a), where + ": count on agent " + a);
      long[] want = reference.filteringSubs(a);
      long[] got = filters.filteringSubs(a);
      assertEquals(want == null, got == null, where + ": bit row of agent " + a);
      if (want != null) {
        assertArrayEquals(want, got, where + ": bit row of agent " + a);
      }
      for (int s = fromSub; s < toSub; s++) {
        assertEquals(reference.isFiltered(s, a), filters.isFiltered(s, a), where + ": " + s + "@" + a);
        assertEquals(reference.earliestFor(s, a), filters.earliestFor(s, a), where + ": until " + s + "@" + a);
        long[] r = reference.refused(s, a);
        long[] f = filters.refused(s, a);
        assertEquals(r == null, f == null, where + ": refused " + s + "@" + a);
        if (r != null) {
          assertArrayEquals(r, f, where + ": refused " + s + "@" + a);
        }
      }
    }
  }

  /** A few kinds of small amounts, so snapshots repeat and free often stays within them. */
  private static long[] vector(Random random) {
    long[] v = new long[STRIDE];
    for (int k = 0; k < 3; k++) {
      v[k] = 1000L * random.nextInt(3);
    }
    return v;
  }

  private static void setRow(long[] free, int a, long[] row) {
    System.arraycopy(row, 0, free, a * STRIDE, STRIDE);
  }
}
