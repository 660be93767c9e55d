package io.trellis.bench.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks placements after the fact, from the recorded placements and the agents' totals alone
 * (not from the allocator's own books): no agent over-committed on cpus or memory, every port
 * inside the agent's range and given once per agent, no task placed twice, no two instances of
 * one app on one agent when the unique-host constraint is on, and as many tasks placed as asked.
 */
final class PlacementChecker {
  /** Violations beyond this many are counted, not described. */
  static final int MAX_REPORTED = 20;

  private final Shape host;
  private final int hosts;
  private final boolean uniqueHost;

  PlacementChecker(Shape host, int hosts, boolean uniqueHost) {
    this.host = host;
    this.hosts = hosts;
    this.uniqueHost = uniqueHost;
  }

  /** Every violation found (the first {@link #MAX_REPORTED} described); empty when all hold. */
  List<String> check(Placements p, int asked) {
    Report report = new Report();
    int n = p.size();
    long[] cpus = new long[hosts];
    long[] mem = new long[hosts];
    long[] portKeys = new long[n];
    long[] appKeys = new long[n];
    long[] tasks = new long[n];
    int ports = 0;
    int placedOnAgents = 0;
    for (int i = 0; i < n; i++) {
      int a = p.agent(i);
      tasks[i] = p.task(i);
      if (a < 0 || a >= hosts) {
        report.add("task %d was placed on agent %d, which does not exist (%d agents)", p.task(i), a, hosts);
        continue;
      }
      cpus[a] += p.cpusMillis(i);
      mem[a] += p.memMillis(i);
      int port = p.port(i);
      if (port < host.portBegin() || port > host.portEnd()) {
        report.add("task %d on agent %d was given port %d, outside the agent's ports [%d-%d]",
            p.task(i), a, port, host.portBegin(), host.portEnd());
      } else {
        portKeys[ports++] = (long) a << 32 | port;
      }
      appKeys[placedOnAgents++] = (long) p.app(i) << 32 | a;
    }
    for (int a = 0; a < hosts; a++) {
      if (cpus[a] > host.cpusMillis()) {
        report.add("agent %d is over-committed on cpus: %s placed on %s", a, amount(cpus[a]),
            amount(host.cpusMillis()));
      }
      if (mem[a] > host.memMillis()) {
        report.add("agent %d is over-committed on mem: %s MB placed on %s MB", a, amount(mem[a]),
            amount(host.memMillis()));
      }
    }
    long[] sortedPorts = Arrays.copyOf(portKeys, ports);
    Arrays.sort(sortedPorts);
    for (int i = 1; i < ports; i++) {
      if (sortedPorts[i] == sortedPorts[i - 1]) {
        report.add("port %d on agent %d was given to two tasks", sortedPorts[i] & 0xffffffffL,
            sortedPorts[i] >>> 32);
      }
    }
    Arrays.sort(tasks);
    for (int i = 1; i < n; i++) {
      if (tasks[i] == tasks[i - 1]) {
        report.add("task %d was placed twice", tasks[i]);
      }
    }
    if (uniqueHost) {
      Arrays.sort(appKeys, 0, placedOnAgents);
      for (int i = 1; i < placedOnAgents; i++) {
        if (appKeys[i] == appKeys[i - 1]) {
          report.add("app %d has two instances on agent %d (constraint hostname:UNIQUE)",
              appKeys[i] >>> 32, appKeys[i] & 0xffffffffL);
        }
      }
    }
    if (n != asked) {
      report.add("%d tasks placed, %d asked", n, asked);
    }
    return report.lines();
  }

  private static String amount(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000)
        : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  private static final class Report {
    private final List<String> lines = new ArrayList<>();
    private int count;

    void add(String format, Object... args) {
      if (++count <= MAX_REPORTED) {
        lines.add(String.format(Locale.ROOT, format, args));
      }
    }

    List<String> lines() {
      if (count > MAX_REPORTED) {
        lines.add((count - MAX_REPORTED) + " more violations");
      }
      return lines;
    }
  }
}
