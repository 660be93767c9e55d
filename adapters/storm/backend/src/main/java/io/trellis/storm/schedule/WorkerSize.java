package io.trellis.storm.schedule;

import java.util.Map;

/**
 * What one Storm worker of a topology takes on Trellis: {@code topology.trellis.worker.cpu} and
 * {@code topology.trellis.worker.mem.mb} from the topology's configuration, else the defaults.
 */
public record WorkerSize(double cpus, int memMb) {
  public static final String CPU = "topology.trellis.worker.cpu";
  public static final String MEM_MB = "topology.trellis.worker.mem.mb";

  public WorkerSize {
    if (!(cpus > 0) || cpus > 1024) {
      throw new IllegalArgumentException(CPU + " must be a number of cpus in (0, 1024], not " + cpus);
    }
    if (memMb < 64) {
      throw new IllegalArgumentException(MEM_MB + " must be at least 64 MB, not " + memMb);
    }
  }

  /** The size a topology's configuration asks for; unreadable values name the key. */
  public static WorkerSize of(Map<String, Object> topologyConf, WorkerSize defaults) {
    double cpus = number(topologyConf.get(CPU), CPU, defaults.cpus());
    double mem = number(topologyConf.get(MEM_MB), MEM_MB, defaults.memMb());
    if (mem > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(MEM_MB + " is too large: " + topologyConf.get(MEM_MB));
    }
    return new WorkerSize(cpus, (int) Math.ceil(mem));
  }

  private static double number(Object value, String key, double fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    try {
      double d = Double.parseDouble(value.toString().trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
  }

  /** The worker's JVM heap: the memory less room for the JVM itself. */
  public int heapMb() {
    return Math.max(48, memMb - Math.min(256, memMb / 4));
  }
}
