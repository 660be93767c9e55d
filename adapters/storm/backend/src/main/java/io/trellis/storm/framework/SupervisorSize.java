package io.trellis.storm.framework;

import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.WorkerSize;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The resources of one supervisor task: its workers' cpus and memory plus the supervisor's own,
 * and one port per worker slot plus the supervisor's thrift port.
 *
 * @param cpus the supervisor daemon's own cpus
 * @param memMb the supervisor daemon's own memory (its heap is a little less)
 */
public record SupervisorSize(double cpus, int memMb) {
  public SupervisorSize {
    if (!(cpus > 0) || memMb < 64) {
      throw new IllegalArgumentException("supervisor size must have cpus > 0 and at least 64 MB, not cpus "
          + cpus + " mem " + memMb);
    }
  }

  /** Cpus and memory of a supervisor with {@code slots} workers of {@code worker}'s size. */
  public Resources scalars(WorkerSize worker, int slots) {
    return Resources.parse(String.format(Locale.ROOT, "cpus:%.3f;mem:%d", cpus + worker.cpus() * slots,
        memMb + (long) worker.memMb() * slots));
  }

  /** The Mesos text form of the whole task: scalars and the given ports. */
  public String resources(WorkerSize worker, int slots, List<Long> ports) {
    return scalars(worker, slots) + ";ports:["
        + ports.stream().map(p -> p + "-" + p).collect(Collectors.joining(",")) + "]";
  }

  public int heapMb() {
    return Math.max(48, memMb - 64);
  }
}
