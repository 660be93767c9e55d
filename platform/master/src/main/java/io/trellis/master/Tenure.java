package io.trellis.master;

/**
 * A master's hold on the leadership, as the master's state sees it: the epoch it leads in,
 * whether it may act as leader right now, and how it gives the leadership up when a write tells
 * it a newer leader exists. Safe to call from any thread.
 */
public interface Tenure {
  /** The leader epoch (0 for a master that leads alone). */
  long epoch();

  /**
   * Whether this master may act as leader now: false from the moment its ZooKeeper session is in
   * doubt (suspended, lost, or not confirmed recently) or it resigned.
   */
  boolean holds();

  /** A newer leader exists ({@code why} says how this master learned it): stop acting at once. */
  void resign(String why);

  /** The tenure of a master that leads alone, with nobody to contend with. */
  Tenure ALONE = new Tenure() {
    @Override
    public long epoch() {
      return 0;
    }

    @Override
    public boolean holds() {
      return true;
    }

    @Override
    public void resign(String why) {
      throw new IllegalStateException("a master that leads alone cannot be deposed: " + why);
    }
  };
}
