package io.trellis.allocator.sorter;

/** Runs the {@link Sorter} contract against the naive {@link ReferenceSorter}, to trust it as a model. */
class ReferenceSorterTest extends SorterContract {
  @Override
  protected Sorter newSorter(int kinds) {
    return new ReferenceSorter(kinds);
  }
}
