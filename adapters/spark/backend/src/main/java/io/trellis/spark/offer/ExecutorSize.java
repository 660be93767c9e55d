package io.trellis.spark.offer;

/**
 * What one executor takes from an offer.
 *
 * @param heapMb the executor's JVM heap ({@code spark.executor.memory})
 * @param overheadMb memory beyond the heap ({@code spark.executor.memoryOverhead})
 */
public record ExecutorSize(int cores, int heapMb, int overheadMb) {
  public ExecutorSize {
    if (cores < 1) {
      throw new IllegalArgumentException("executor cores must be at least 1, not " + cores);
    }
    if (heapMb < 1 || overheadMb < 0) {
      throw new IllegalArgumentException("bad executor memory: heap " + heapMb + " MB, overhead "
          + overheadMb + " MB");
    }
  }

  public int memMb() {
    return heapMb + overheadMb;
  }

  /** The task's resources in the Mesos text form. */
  public String resources() {
    return "cpus:" + cores + ";mem:" + memMb();
  }
}
