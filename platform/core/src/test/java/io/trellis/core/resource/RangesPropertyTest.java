package io.trellis.core.resource;

import static io.trellis.core.resource.RandomResources.MAX_VALUE;
import static io.trellis.core.resource.RandomResources.bits;
import static io.trellis.core.resource.RandomResources.fromBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link Ranges} against a brute-force {@link BitSet} model over 0..200 and against the
 * laws of set algebra, on a few thousand seeded random values per property.
 */
class RangesPropertyTest {
  private static final int RUNS = 3000;

  private final RandomResources gen = new RandomResources(0x7E11_15L);

  @Test
  void everyValueIsStoredAsSortedDisjointNonAdjacentIntervals() {
    for (int run = 0; run < RUNS; run++) {
      Ranges r = gen.ranges().plus(gen.ranges()).minus(gen.ranges());
      for (int i = 0; i < r.intervalCount(); i++) {
        assertTrue(r.begin(i) <= r.end(i), r::toString);
        if (i > 0) {
          assertTrue(r.end(i - 1) + 1 < r.begin(i), () -> "not coalesced: " + r);
        }
      }
    }
  }

  @Test
  void unionMatchesTheBitSetModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = gen.ranges();
      BitSet expected = bits(x);
      expected.or(bits(y));

      assertEquals(fromBits(expected), x.plus(y), () -> x + " plus " + y);
    }
  }

  @Test
  void differenceMatchesTheBitSetModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = gen.ranges();
      BitSet expected = bits(x);
      expected.andNot(bits(y));

      assertEquals(fromBits(expected), x.minus(y), () -> x + " minus " + y);
    }
  }

  @Test
  void membershipAndSizeMatchTheBitSetModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      BitSet model = bits(x);

      assertEquals(model.cardinality(), x.size(), x::toString);
      assertEquals(model.isEmpty(), x.isEmpty(), x::toString);
      for (int v = 0; v <= MAX_VALUE + 1; v++) {
        assertEquals(model.get(v), x.contains(v), x + " contains " + v);
      }
    }
  }

  @Test
  void containmentMatchesTheBitSetModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = run % 2 == 0 ? gen.ranges() : x.minus(gen.ranges());
      BitSet outside = bits(y);
      outside.andNot(bits(x));

      assertEquals(outside.isEmpty(), x.contains(y), () -> x + " contains " + y);
    }
  }

  @Test
  void firstTakesTheLowestValuesOfTheModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      long n = x.isEmpty() ? 0 : gen.random().nextInt((int) x.size() + 1);
      BitSet expected = new BitSet();
      BitSet model = bits(x);
      for (int v = model.nextSetBit(0), taken = 0; taken < n; v = model.nextSetBit(v + 1), taken++) {
        expected.set(v);
      }

      Ranges first = x.first(n);
      assertEquals(fromBits(expected), first, () -> x + " first " + n);
      assertEquals(n, first.size());
      assertTrue(x.contains(first));
    }
  }

  @Test
  void intervalCountMatchesTheRunsOfTheModel() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges().plus(gen.ranges());
      BitSet model = bits(x);
      int runs = 0;
      for (int v = model.nextSetBit(0); v >= 0; v = model.nextSetBit(model.nextClearBit(v))) {
        runs++;
      }

      assertEquals(runs, x.intervalCount(), x::toString);
    }
  }

  @Test
  void unionContainsBothOperandsAndIsCommutativeAndAssociative() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = gen.ranges();
      Ranges z = gen.ranges();
      Ranges xy = x.plus(y);

      assertTrue(xy.contains(x) && xy.contains(y), () -> x + " plus " + y);
      assertEquals(xy, y.plus(x));
      assertEquals(xy.plus(z), x.plus(y.plus(z)));
      assertEquals(x, x.plus(x));
      assertEquals(x, x.plus(Ranges.empty()));
    }
  }

  @Test
  void differenceRemovesEveryValueOfTheSubtrahendAndNothingElse() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = gen.ranges();
      Ranges rest = x.minus(y);
      Ranges common = x.minus(rest);

      assertTrue(x.contains(rest));
      assertEquals(Ranges.empty(), rest.minus(x.plus(y).minus(y)), () -> x + " minus " + y);
      for (int v = 0; v <= MAX_VALUE; v++) {
        assertFalse(rest.contains(v) && y.contains(v), x + " minus " + y + " still holds " + v);
      }
      assertEquals(x, rest.plus(common), () -> x + " split by " + y);
      assertTrue(y.contains(common));
      assertEquals(x.plus(y), rest.plus(y));
    }
  }

  @Test
  void unionSizeFollowsInclusionExclusion() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = gen.ranges();
      long common = x.minus(x.minus(y)).size();
      long union = x.plus(y).size();

      assertTrue(union <= x.size() + y.size(), () -> x + " plus " + y);
      assertEquals(x.size() + y.size() - common, union, () -> x + " plus " + y);
    }
  }

  @Test
  void containmentIsReflexiveAntisymmetricAndTransitive() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges y = x.minus(gen.ranges());
      Ranges z = y.minus(gen.ranges());

      assertTrue(x.contains(x));
      assertTrue(x.contains(y) && y.contains(z));
      assertTrue(x.contains(z), () -> x + " should contain " + z);
      Ranges w = gen.ranges();
      assertEquals(x.equals(w), x.contains(w) && w.contains(x), () -> x + " vs " + w);
    }
  }

  @Test
  void printedFormParsesBackToAnEqualValue() {
    for (int run = 0; run < RUNS; run++) {
      Ranges x = gen.ranges();
      Ranges parsed = Ranges.parse(x.toString());

      assertEquals(x, parsed, x::toString);
      assertEquals(x.hashCode(), parsed.hashCode());
    }
  }

  @Test
  void pairsGiveTheSameValueInAnyOrder() {
    for (int run = 0; run < RUNS; run++) {
      int n = gen.random().nextInt(6);
      List<long[]> intervals = new ArrayList<>();
      BitSet model = new BitSet();
      for (int i = 0; i < n; i++) {
        int begin = gen.random().nextInt(MAX_VALUE + 1);
        int end = Math.min(MAX_VALUE, begin + gen.random().nextInt(20));
        intervals.add(new long[] {begin, end});
        model.set(begin, end + 1);
      }
      Collections.shuffle(intervals, gen.random());
      long[] pairs = new long[2 * n];
      for (int i = 0; i < n; i++) {
        pairs[2 * i] = intervals.get(i)[0];
        pairs[2 * i + 1] = intervals.get(i)[1];
      }

      assertEquals(fromBits(model), Ranges.ofPairs(pairs), () -> java.util.Arrays.toString(pairs));
    }
  }
}
