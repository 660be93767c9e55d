package io.trellis.bench.placement;

import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.util.Locale;

/**
 * The size of a host or of a task: cpus and memory in thousandths (as {@link Resources} keeps
 * them) and a number of ports; a host's ports are the range {@code [portBegin-portEnd]}.
 */
record Shape(long cpusMillis, long memMillis, int ports, int portBegin, int portEnd) {
  /** The peers' hosts: 8 cpus, 32 GiB, ports 31000-32000. */
  static final Shape HOST = host(8, 32 * 1024, 31000, 32000);
  /** The peers' tasks: 1 cpu, 2 GiB, 1 port. */
  static final Shape TASK = task(1, 2 * 1024, 1);

  Shape {
    if (cpusMillis <= 0 || memMillis < 0 || ports < 0) {
      throw new IllegalArgumentException("shape needs cpus > 0, mem >= 0 and ports >= 0, got cpus "
          + cpusMillis / 1000.0 + ", mem " + memMillis / 1000.0 + ", ports " + ports);
    }
  }

  static Shape host(double cpus, double memMb, int portBegin, int portEnd) {
    if (portEnd < portBegin) {
      throw new IllegalArgumentException("host ports [" + portBegin + "-" + portEnd + "] are empty");
    }
    return new Shape(Math.round(cpus * 1000), Math.round(memMb * 1000), portEnd - portBegin + 1,
        portBegin, portEnd);
  }

  static Shape task(double cpus, double memMb, int ports) {
    return new Shape(Math.round(cpus * 1000), Math.round(memMb * 1000), ports, 0, -1);
  }

  /** The host as agent resources, e.g. {@code cpus:8;mem:32768;ports:[31000-32000]}. */
  Resources resources() {
    return Resources.fromMillis(new String[] {Resources.CPUS, Resources.MEM},
        new long[] {cpusMillis, memMillis}, 0, 2, Resources.PORTS, Ranges.of(portBegin, portEnd));
  }

  /** How many tasks of {@code task} fit in this much. */
  long fits(Shape task) {
    long n = cpusMillis / task.cpusMillis;
    if (task.memMillis > 0) {
      n = Math.min(n, memMillis / task.memMillis);
    }
    if (task.ports > 0) {
      n = Math.min(n, ports / task.ports);
    }
    return n;
  }

  /** e.g. {@code 8 cpus / 32768 MB / ports [31000-32000]} or {@code 1 cpus / 2048 MB / 1 port}. */
  String describe() {
    String p = portEnd >= portBegin ? "ports [" + portBegin + "-" + portEnd + "]" : ports + " port";
    return String.format(Locale.ROOT, "%s cpus / %s MB / %s", cpusMillis / 1000.0,
        memMillis / 1000.0, p).replace(".0 ", " ");
  }

  double cpus() {
    return cpusMillis / 1000.0;
  }
}
