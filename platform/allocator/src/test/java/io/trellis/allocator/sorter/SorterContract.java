package io.trellis.allocator.sorter;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link Sorter} must do, run once per implementation by a subclass. Amounts are in
 * thousandths; the sorter under test has three kinds: cpus, mem and gpus.
 */
abstract class SorterContract {
  static final int CPUS = 0;
  static final int MEM = 1;
  static final int GPUS = 2;

  /** A new, empty sorter over {@code kinds} resource kinds. */
  protected abstract Sorter newSorter(int kinds);

  private Sorter sorter;

  @BeforeEach
  void newSorterWithTotals() {
    sorter = newSorter(3);
    sorter.setTotal(amounts(9000, 18000, 4000));
  }

  static long[] amounts(long cpus, long mem, long gpus) {
    return new long[] {cpus, mem, gpus};
  }

  static int[] order(Sorter s) {
    int[] order = new int[s.size()];
    for (int p = 0; p < order.length; p++) {
      order[p] = s.clientAt(p);
    }
    return order;
  }

  @Test
  void newClientsAreActiveWithNoShareAndOrderedByHandle() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);

    assertEquals(3, sorter.size());
    assertArrayEquals(new int[] {a, b, c}, order(sorter));
    assertTrue(a < b && b < c, "handles are handed out in increasing order");
    assertTrue(sorter.isActive(b));
    assertEquals(0.0, sorter.share(b));
    assertEquals(0L, sorter.allocation(b, MEM));
    assertEquals(1, sorter.positionOf(b));
  }

  @Test
  void lowestShareComesFirst() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);

    sorter.allocated(a, amounts(3000, 0, 0));
    sorter.allocated(b, amounts(1000, 0, 0));
    sorter.allocated(c, amounts(2000, 0, 0));

    assertArrayEquals(new int[] {b, c, a}, order(sorter));
    assertEquals(2, sorter.positionOf(a));

    sorter.unallocated(a, amounts(2500, 0, 0));

    assertArrayEquals(new int[] {a, b, c}, order(sorter));
  }

  @Test
  void precedesAgreesWithTheOrder() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);
    sorter.allocated(a, amounts(2000, 0, 0));
    sorter.allocated(c, amounts(0, 2000, 0));

    assertTrue(sorter.precedes(b, a));
    assertTrue(sorter.precedes(c, a));
    assertTrue(sorter.precedes(b, c));
    assertFalse(sorter.precedes(a, c));
    assertFalse(sorter.precedes(a, a));

    sorter.setTotal(amounts(9000, 1000, 4000));

    assertTrue(sorter.precedes(a, c), "with mem scarce, c (share 2) comes after a (share 2/9)");
  }

  @Test
  void equalSharesGoToTheLowerHandleFirstWhateverTheOrderOfChanges() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);

    sorter.allocated(c, amounts(1000, 0, 0));
    sorter.allocated(b, amounts(0, 2000, 0));
    sorter.allocated(a, amounts(1000, 0, 0));

    assertEquals(sorter.share(a), sorter.share(b));
    assertEquals(sorter.share(a), sorter.share(c));
    assertArrayEquals(new int[] {a, b, c}, order(sorter));
  }

  @Test
  void dominantShareIsTheLargestFractionOfTheTotalOverKinds() {
    int memHeavy = sorter.add(1);
    int cpuHeavy = sorter.add(1);

    sorter.allocated(memHeavy, amounts(1000, 4000, 0));
    sorter.allocated(cpuHeavy, amounts(3000, 2000, 0));

    assertEquals(4.0 / 18, sorter.share(memHeavy));
    assertEquals(1.0 / 3, sorter.share(cpuHeavy));
    assertArrayEquals(new int[] {memHeavy, cpuHeavy}, order(sorter));
    assertEquals(4000L, sorter.allocation(memHeavy, MEM));
    assertEquals(1000L, sorter.allocation(memHeavy, CPUS));
  }

  @Test
  void allocationsAccumulateAcrossCalls() {
    int a = sorter.add(1);

    sorter.allocated(a, amounts(1000, 2000, 0));
    sorter.allocated(a, amounts(2000, 1000, 0));
    sorter.unallocated(a, amounts(500, 0, 0));

    assertEquals(2500L, sorter.allocation(a, CPUS));
    assertEquals(3000L, sorter.allocation(a, MEM));
    assertEquals(2500.0 / 9000, sorter.share(a));
  }

  @Test
  void aHigherPriorityComesFirstWhateverTheSharesThenSharesOrderEqualPriorities() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);
    sorter.allocated(b, amounts(3000, 0, 0));
    sorter.allocated(c, amounts(1000, 0, 0));
    sorter.setPriority(b, 5);
    sorter.setPriority(c, 5);
    assertArrayEquals(new int[] {c, b, a}, order(sorter));
    sorter.allocated(c, amounts(4000, 0, 0));
    assertArrayEquals(new int[] {b, c, a}, order(sorter));
    sorter.deactivate(b);
    sorter.setPriority(b, -1);
    sorter.activate(b);
    assertArrayEquals(new int[] {c, a, b}, order(sorter));
    assertTrue(sorter.precedes(a, b));
  }

  @Test
  void weightDividesTheShare() {
    int light = sorter.add(1);
    int heavy = sorter.add(2);

    sorter.allocated(light, amounts(3000, 0, 0));
    sorter.allocated(heavy, amounts(4000, 0, 0));

    assertEquals(2.0, sorter.weight(heavy));
    assertEquals(1.0 / 3, sorter.share(light));
    assertEquals(4.0 / 9 / 2, sorter.share(heavy));
    assertArrayEquals(new int[] {heavy, light}, order(sorter));

    sorter.setWeight(heavy, 1);

    assertEquals(4.0 / 9, sorter.share(heavy));
    assertArrayEquals(new int[] {light, heavy}, order(sorter));
  }

  @Test
  void deactivateTakesTheClientOutOfTheOrderButKeepsItsAllocation() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);
    sorter.allocated(b, amounts(1000, 4000, 0));

    sorter.deactivate(b);

    assertFalse(sorter.isActive(b));
    assertEquals(2, sorter.size());
    assertArrayEquals(new int[] {a, c}, order(sorter));
    assertEquals(-1, sorter.positionOf(b));
    assertEquals(4000L, sorter.allocation(b, MEM));
    assertEquals(4.0 / 18, sorter.share(b));

    sorter.deactivate(b);

    assertEquals(2, sorter.size());
  }

  @Test
  void activateReturnsTheClientToThePlaceItsShareEarns() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);
    sorter.allocated(a, amounts(1000, 0, 0));
    sorter.allocated(b, amounts(2000, 0, 0));
    sorter.allocated(c, amounts(3000, 0, 0));
    sorter.deactivate(a);

    sorter.allocated(a, amounts(1500, 0, 0));
    sorter.activate(a);

    assertTrue(sorter.isActive(a));
    assertArrayEquals(new int[] {b, a, c}, order(sorter));
    assertEquals(1, sorter.positionOf(a));

    sorter.activate(a);

    assertArrayEquals(new int[] {b, a, c}, order(sorter));
  }

  @Test
  void removeTakesTheClientOutOfTheOrder() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    int c = sorter.add(1);
    sorter.allocated(a, amounts(1000, 0, 0));
    sorter.deactivate(c);

    sorter.remove(a);
    sorter.remove(c);

    assertEquals(1, sorter.size());
    assertArrayEquals(new int[] {b}, order(sorter));
    assertThrows(IllegalArgumentException.class, () -> sorter.share(a));
  }

  @Test
  void aClientAddedAfterARemovalStartsFresh() {
    int a = sorter.add(1);
    int b = sorter.add(1);
    sorter.allocated(a, amounts(1000, 1000, 1000));
    sorter.allocated(b, amounts(100, 0, 0));
    sorter.deactivate(a);
    sorter.remove(a);

    int again = sorter.add(3);

    assertTrue(sorter.isActive(again));
    assertEquals(3.0, sorter.weight(again));
    assertEquals(0L, sorter.allocation(again, CPUS));
    assertEquals(0L, sorter.allocation(again, GPUS));
    assertEquals(0.0, sorter.share(again));
    assertArrayEquals(new int[] {again, b}, order(sorter));
  }

  @Test
  void unallocatedDownToZeroIsAllowedButNotBelow() {
    int a = sorter.add(1);
    sorter.allocated(a, amounts(1000, 2000, 0));

    sorter.unallocated(a, amounts(1000, 2000, 0));

    assertEquals(0L, sorter.allocation(a, CPUS));
    assertEquals(0.0, sorter.share(a));
    assertThrows(IllegalStateException.class, () -> sorter.unallocated(a, amounts(1, 0, 0)));
    assertThrows(IllegalStateException.class, () -> sorter.unallocated(a, amounts(0, 0, 1)));
  }

  @Test
  void excludedKindsDoNotCountTowardsShares() {
    int gpuUser = sorter.add(1);
    int cpuUser = sorter.add(1);
    sorter.allocated(gpuUser, amounts(1000, 0, 4000));
    sorter.allocated(cpuUser, amounts(2000, 0, 0));

    sorter.setExcluded(GPUS, true);

    assertEquals(1.0 / 9, sorter.share(gpuUser));
    assertArrayEquals(new int[] {gpuUser, cpuUser}, order(sorter));

    sorter.setExcluded(GPUS, false);

    assertEquals(1.0, sorter.share(gpuUser));
    assertArrayEquals(new int[] {cpuUser, gpuUser}, order(sorter));
  }

  @Test
  void kindsWithNoTotalDoNotCountTowardsShares() {
    sorter.setTotal(amounts(9000, 18000, 0));
    int a = sorter.add(1);

    sorter.allocated(a, amounts(900, 0, 5000));

    assertEquals(0.1, sorter.share(a));
  }

  @Test
  void changingTotalsReordersClients() {
    int cpuHeavy = sorter.add(1);
    int memHeavy = sorter.add(1);
    sorter.allocated(cpuHeavy, amounts(3000, 0, 0));
    sorter.allocated(memHeavy, amounts(0, 4500, 0));
    assertArrayEquals(new int[] {memHeavy, cpuHeavy}, order(sorter));

    sorter.setTotal(amounts(18000, 18000, 4000));

    assertEquals(1.0 / 6, sorter.share(cpuHeavy));
    assertEquals(0.25, sorter.share(memHeavy));
    assertArrayEquals(new int[] {cpuHeavy, memHeavy}, order(sorter));
    assertEquals(0, sorter.positionOf(cpuHeavy));
  }

  @Test
  void setTotalCopiesItsArgument() {
    long[] total = amounts(1000, 1000, 1000);
    sorter.setTotal(total);
    int a = sorter.add(1);
    sorter.allocated(a, amounts(500, 0, 0));

    total[CPUS] = 2000;

    assertEquals(0.5, sorter.share(a));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void invalidWeightsAreRejected(double weight) {
    int a = sorter.add(1.5);

    assertThrows(IllegalArgumentException.class, () -> sorter.add(weight));
    assertThrows(IllegalArgumentException.class, () -> sorter.setWeight(a, weight));
    assertEquals(1.5, sorter.weight(a));
    assertEquals(1, sorter.size());
  }

  @Test
  void handlesNeverHandedOutAreRejected() {
    int a = sorter.add(1);
    assertUnknown(a + 1);
    assertUnknown(-1);
  }

  @Test
  void removedHandlesAreRejected() {
    int a = sorter.add(1);
    sorter.add(1);
    sorter.remove(a);

    assertEquals(1, sorter.size());
    assertUnknown(a);
  }

  @Test
  void nonPositiveKindCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> newSorter(0));
    assertThrows(IllegalArgumentException.class, () -> newSorter(-1));
  }

  private void assertUnknown(int client) {
    long[] one = amounts(1, 1, 1);
    assertAll(
        rejects(() -> sorter.remove(client)),
        rejects(() -> sorter.setWeight(client, 1)),
        rejects(() -> sorter.weight(client)),
        rejects(() -> sorter.activate(client)),
        rejects(() -> sorter.deactivate(client)),
        rejects(() -> sorter.isActive(client)),
        rejects(() -> sorter.allocated(client, one)),
        rejects(() -> sorter.unallocated(client, one)),
        rejects(() -> sorter.allocation(client, CPUS)),
        rejects(() -> sorter.share(client)),
        rejects(() -> sorter.positionOf(client)),
        rejects(() -> sorter.precedes(client, client)));
  }

  private static Executable rejects(Executable call) {
    return () -> assertThrows(IllegalArgumentException.class, call);
  }

  @Test
  void aRefusedUnallocationChangesNothing() {
    Sorter s = newSorter(2);
    s.setTotal(new long[] {1000, 1000});
    int x = s.add(1);
    int y = s.add(1);
    s.allocated(x, new long[] {400, 0});
    s.allocated(y, new long[] {300, 0});
    assertEquals(y, s.clientAt(0));

    assertThrows(IllegalStateException.class, () -> s.unallocated(x, new long[] {300, 1}));

    assertEquals(400, s.allocation(x, 0));
    assertEquals(0.4, s.share(x), 1e-12);
    assertEquals(y, s.clientAt(0));
  }

  @Test
  void anInactiveClientsShareFollowsTotals() {
    Sorter s = newSorter(1);
    s.setTotal(new long[] {1000});
    int c = s.add(1);
    s.add(1);
    s.allocated(c, new long[] {500});
    s.deactivate(c);
    s.setTotal(new long[] {2000});
    s.clientAt(0);

    assertEquals(0.25, s.share(c), 1e-12);
  }
}
