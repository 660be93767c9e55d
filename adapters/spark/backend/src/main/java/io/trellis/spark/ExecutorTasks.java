package io.trellis.spark;

import io.trellis.api.TaskState;
import io.trellis.spark.offer.Demand;
import io.trellis.spark.offer.ExecutorSize;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application's executor tasks: which are live, on which agent, how many Spark wants, and
 * which agents failed executors too often. Every method is synchronized: offers and updates come
 * on the Trellis client's thread, requests and kills on Spark's threads.
 */
final class ExecutorTasks {
  /** One executor task. */
  record Executor(String executorId, String taskId, String agentId, String hostname, int cores) {}

  private final ExecutorSize size;
  private final int maxCores;
  private final int maxAgentFailures;
  private final String appId;
  private final Map<String, Executor> byTask = new LinkedHashMap<>();
  private final Map<String, Executor> byExecutor = new HashMap<>();
  private final Map<String, Integer> agentFailures = new HashMap<>();
  private int target;
  private int nextId;

  ExecutorTasks(String appId, ExecutorSize size, int maxCores, int initialTarget, int maxAgentFailures) {
    this.appId = appId;
    this.size = size;
    this.maxCores = maxCores;
    this.target = initialTarget;
    this.maxAgentFailures = maxAgentFailures;
  }

  synchronized Demand demand() {
    return new Demand(byTask.size(), byTask.size() * size.cores(), target, maxCores);
  }

  synchronized boolean satisfied() {
    return !demand().wantsAnother(size);
  }

  /** Sets Spark's target; returns whether more executors are now wanted than live. */
  synchronized boolean target(int executors) {
    target = executors;
    return demand().wantsAnother(size);
  }

  synchronized int target() {
    return target;
  }

  /** Records a new executor on an agent and returns it. */
  synchronized Executor launch(String agentId, String hostname) {
    String executorId = Integer.toString(nextId++);
    Executor e = new Executor(executorId, appId + "-executor-" + executorId, agentId, hostname, size.cores());
    byTask.put(e.taskId(), e);
    byExecutor.put(executorId, e);
    return e;
  }

  /** The launch did not happen (the accept call failed). */
  synchronized void forget(Executor e) {
    byTask.remove(e.taskId());
    byExecutor.remove(e.executorId());
  }

  /** Records a terminal state; returns the executor if it was live. */
  synchronized Optional<Executor> ended(String taskId, TaskState state) {
    Executor e = byTask.remove(taskId);
    if (e == null) {
      return Optional.empty();
    }
    byExecutor.remove(e.executorId());
    notifyAll();
    if (state == TaskState.FAILED || state == TaskState.ERROR) {
      agentFailures.merge(e.agentId(), 1, Integer::sum);
    }
    return Optional.of(e);
  }

  /** Waits until no executor task is live, at most {@code timeout}; returns whether none is. */
  synchronized boolean awaitNoneLive(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long left;
    while (!byTask.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
      wait(Math.max(1, left / 1_000_000));
    }
    return byTask.isEmpty();
  }

  synchronized Optional<Executor> byExecutorId(String executorId) {
    return Optional.ofNullable(byExecutor.get(executorId));
  }

  synchronized List<Executor> live() {
    return List.copyOf(byTask.values());
  }

  synchronized Set<String> excludedAgents() {
    return agentFailures.entrySet().stream().filter(f -> f.getValue() >= maxAgentFailures)
        .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
  }
}
