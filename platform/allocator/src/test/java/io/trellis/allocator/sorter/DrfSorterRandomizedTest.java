package io.trellis.allocator.sorter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Drives a {@link DrfSorter} and a {@link ReferenceSorter} through the same seeded random
 * operations and checks that they agree on the order, the shares and every client's state.
 */
class DrfSorterRandomizedTest {
  private static final int KINDS = 4;
  private static final int MAX_CLIENTS = 200;
  private static final int OPERATIONS = 50_000;
  private static final double[] COMMON_WEIGHTS = {0.5, 1, 1, 1, 2, 3};

  @Test
  void agreesWithTheReferenceAfterEveryOperation() {
    new Lockstep(0x5EED_0D6FL).run(OPERATIONS, 1.0);
  }

  /**
   * Reads only now and then, so that several changes (allocations, weights, activations) land
   * while a change of totals or exclusions still waits for the lazy re-sort.
   */
  @Test
  void agreesWithTheReferenceWhenChangesPileUpBetweenReads() {
    new Lockstep(0xD1A7_7E57L).run(OPERATIONS, 0.1);
  }

  private static final class Lockstep {
    private final long seed;
    private final Random random;
    private final DrfSorter drf = new DrfSorter(KINDS);
    private final ReferenceSorter ref = new ReferenceSorter(KINDS);
    private final List<Integer> live = new ArrayList<>();
    /** The last operations applied, newest last, to explain a failure. */
    private final Deque<String> recent = new ArrayDeque<>();
    private int step;
    private int targetClients;

    Lockstep(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
    }

    void run(int operations, double readProbability) {
      long[] total = randomTotal();
      drf.setTotal(total);
      ref.setTotal(total);
      for (step = 0; step < operations; step++) {
        if (step % 5000 == 0) {
          targetClients = 1 + random.nextInt(MAX_CLIENTS);
        }
        applyRandomOperation();
        if (random.nextDouble() < readProbability) {
          assertSameState();
        }
      }
      assertSameState();
    }

    private void applyRandomOperation() {
      int dice = random.nextInt(100);
      // Adds take 15% of operations and removes 7% below the target population, the other way round above.
      int adds = live.size() < targetClients ? 15 : 7;
      if (live.isEmpty() || (dice < adds && live.size() < MAX_CLIENTS)) {
        double weight = randomWeight();
        int handle = drf.add(weight);
        assertEquals(ref.add(weight), handle, context("handle from add(" + weight + ")"));
        live.add(handle);
        record("add(" + weight + ") = " + handle);
        return;
      }
      int client = live.get(random.nextInt(live.size()));
      if (dice < 22) {
        drf.remove(client);
        ref.remove(client);
        live.remove(Integer.valueOf(client));
        record("remove(" + client + ")");
      } else if (dice < 27) {
        int priority = random.nextInt(4) - 1;
        drf.setPriority(client, priority);
        ref.setPriority(client, priority);
        record("setPriority(" + client + ", " + priority + ")");
      } else if (dice < 30) {
        double weight = randomWeight();
        drf.setWeight(client, weight);
        ref.setWeight(client, weight);
        record("setWeight(" + client + ", " + weight + ")");
      } else if (dice < 38) {
        drf.activate(client);
        ref.activate(client);
        record("activate(" + client + ")");
      } else if (dice < 46) {
        drf.deactivate(client);
        ref.deactivate(client);
        record("deactivate(" + client + ")");
      } else if (dice < 70) {
        long[] delta = new long[KINDS];
        for (int k = 0; k < KINDS; k++) {
          delta[k] = random.nextBoolean() ? 250L * random.nextInt(17) : 0;
        }
        drf.allocated(client, delta);
        ref.allocated(client, delta);
        record("allocated(" + client + ", " + Arrays.toString(delta) + ")");
      } else if (dice < 92) {
        long[] delta = new long[KINDS];
        for (int k = 0; k < KINDS; k++) {
          long held = ref.allocation(client, k);
          delta[k] = held == 0 || random.nextInt(4) == 0 ? 0 : random.nextInt(4) == 0 ? held
              : (long) (random.nextDouble() * (held + 1));
        }
        drf.unallocated(client, delta);
        ref.unallocated(client, delta);
        record("unallocated(" + client + ", " + Arrays.toString(delta) + ")");
      } else if (dice < 97) {
        long[] total = randomTotal();
        drf.setTotal(total);
        ref.setTotal(total);
        record("setTotal(" + Arrays.toString(total) + ")");
      } else {
        int kind = random.nextInt(KINDS);
        boolean excluded = random.nextInt(3) == 0;
        drf.setExcluded(kind, excluded);
        ref.setExcluded(kind, excluded);
        record("setExcluded(" + kind + ", " + excluded + ")");
      }
    }

    private void assertSameState() {
      List<Integer> expected = ref.order();
      firstRead(expected);
      assertEquals(expected.size(), drf.size(), context("size()"));
      List<Integer> actual = drfOrder();
      if (!actual.equals(expected)) {
        fail(context("order").get() + ": expected " + expected + " but was " + actual);
      }
      for (int p = 0; p + 1 < expected.size(); p++) {
        int a = expected.get(p);
        int b = expected.get(p + 1);
        assertTrue(drf.precedes(a, b), context("precedes(" + a + ", " + b + ")"));
        assertFalse(drf.precedes(b, a), context("precedes(" + b + ", " + a + ")"));
      }
      for (int client : live) {
        boolean active = ref.isActive(client);
        assertEquals(active, drf.isActive(client), context("isActive(" + client + ")"));
        assertEquals(expected.indexOf(client), drf.positionOf(client), context("positionOf(" + client + ")"));
        assertEquals(ref.weight(client), drf.weight(client), context("weight(" + client + ")"));
        for (int k = 0; k < KINDS; k++) {
          assertEquals(ref.allocation(client, k), drf.allocation(client, k),
              context("allocation(" + client + ", " + k + ")"));
        }
        assertEquals(ref.share(client), drf.share(client), 1e-12, context("share(" + client + ")"));
      }
    }

    /**
     * The first read after a change of totals is the one that meets the pending re-sort, so it
     * varies: {@code positionOf}, {@code precedes} or (falling through) {@code clientAt}.
     */
    private void firstRead(List<Integer> expected) {
      if (expected.isEmpty()) {
        return;
      }
      int a = expected.get(random.nextInt(expected.size()));
      int b = expected.get(random.nextInt(expected.size()));
      switch (random.nextInt(3)) {
        case 0 -> assertEquals(expected.indexOf(a), drf.positionOf(a), context("first read positionOf(" + a + ")"));
        case 1 -> assertEquals(expected.indexOf(a) < expected.indexOf(b), drf.precedes(a, b),
            context("first read precedes(" + a + ", " + b + ")"));
        default -> { }
      }
    }

    private List<Integer> drfOrder() {
      List<Integer> order = new ArrayList<>();
      for (int p = 0; p < drf.size(); p++) {
        order.add(drf.clientAt(p));
      }
      return order;
    }

    private double randomWeight() {
      return random.nextInt(3) == 0 ? 0.1 + 4 * random.nextDouble()
          : COMMON_WEIGHTS[random.nextInt(COMMON_WEIGHTS.length)];
    }

    private long[] randomTotal() {
      long[] total = new long[KINDS];
      for (int k = 0; k < KINDS; k++) {
        total[k] = random.nextInt(20) == 0 ? 0 : 1000L * (1 + random.nextInt(100));
      }
      return total;
    }

    private void record(String operation) {
      recent.addLast(operation);
      if (recent.size() > 12) {
        recent.removeFirst();
      }
    }

    private Supplier<String> context(String what) {
      return () -> what + " after step " + step + " (seed 0x" + Long.toHexString(seed) + "), last operations " + recent;
    }
  }
}
