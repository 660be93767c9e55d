package io.trellis.bench.placement;

import java.util.Arrays;

/**
 * Where every task went, recorded by the frameworks as they accept offers: task, its app and
 * framework, the agent, the cpus and memory (thousandths) and the port it was given. Columns of
 * primitives, so recording costs the timed loop next to nothing.
 */
final class Placements {
  private int size;
  private int[] task;
  private int[] app;
  private int[] framework;
  private int[] agent;
  private long[] cpus;
  private long[] mem;
  private int[] port;

  Placements(int capacity) {
    int c = Math.max(16, capacity);
    task = new int[c];
    app = new int[c];
    framework = new int[c];
    agent = new int[c];
    cpus = new long[c];
    mem = new long[c];
    port = new int[c];
  }

  void add(int taskId, int appId, int frameworkId, int agentId, long cpusMillis, long memMillis,
      int portNumber) {
    if (size == task.length) {
      int c = size * 2;
      task = Arrays.copyOf(task, c);
      app = Arrays.copyOf(app, c);
      framework = Arrays.copyOf(framework, c);
      agent = Arrays.copyOf(agent, c);
      cpus = Arrays.copyOf(cpus, c);
      mem = Arrays.copyOf(mem, c);
      port = Arrays.copyOf(port, c);
    }
    task[size] = taskId;
    app[size] = appId;
    framework[size] = frameworkId;
    agent[size] = agentId;
    cpus[size] = cpusMillis;
    mem[size] = memMillis;
    port[size] = portNumber;
    size++;
  }

  int size() {
    return size;
  }

  int task(int i) {
    return task[i];
  }

  int app(int i) {
    return app[i];
  }

  int framework(int i) {
    return framework[i];
  }

  int agent(int i) {
    return agent[i];
  }

  long cpusMillis(int i) {
    return cpus[i];
  }

  long memMillis(int i) {
    return mem[i];
  }

  int port(int i) {
    return port[i];
  }
}
