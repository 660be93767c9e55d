package io.trellis.allocator.sorter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Runs the {@link Sorter} contract against {@link DrfSorter}, plus its own handle rule. */
class DrfSorterTest extends SorterContract {
  @Override
  protected Sorter newSorter(int kinds) {
    return new DrfSorter(kinds);
  }

  @Test
  void removedHandlesAreReusedMostRecentlyRemovedFirst() {
    Sorter sorter = newSorter(1);
    assertEquals(0, sorter.add(1));
    assertEquals(1, sorter.add(1));
    assertEquals(2, sorter.add(1));
    sorter.remove(0);
    sorter.remove(2);

    assertEquals(2, sorter.add(1));
    assertEquals(0, sorter.add(1));
    assertEquals(3, sorter.add(1));
  }
}
