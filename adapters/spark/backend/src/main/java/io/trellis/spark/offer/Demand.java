package io.trellis.spark.offer;

/**
 * How many executors the application has and wants.
 *
 * @param liveExecutors executor tasks launched and not yet ended
 * @param liveCores their cores
 * @param targetExecutors executors Spark asked for ({@link Integer#MAX_VALUE} when unbounded)
 * @param maxCores {@code spark.cores.max} ({@link Integer#MAX_VALUE} when unset)
 */
public record Demand(int liveExecutors, int liveCores, int targetExecutors, int maxCores) {
  /** Whether one more executor of this size is wanted. */
  public boolean wantsAnother(ExecutorSize size) {
    return liveExecutors < targetExecutors && (long) liveCores + size.cores() <= maxCores;
  }

  /** How many more executors of this size are wanted (at most {@code cap}). */
  public int missing(ExecutorSize size, int cap) {
    long byCount = Math.max(0L, (long) targetExecutors - liveExecutors);
    long byCores = Math.max(0L, ((long) maxCores - liveCores) / size.cores());
    return (int) Math.min(cap, Math.min(byCount, byCores));
  }

  public Demand plus(ExecutorSize size) {
    return new Demand(liveExecutors + 1, liveCores + size.cores(), targetExecutors, maxCores);
  }
}
