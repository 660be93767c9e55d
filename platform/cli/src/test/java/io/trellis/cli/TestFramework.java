package io.trellis.cli;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A framework for tests: launches queued commands on the first offer that fits, declines the
 * rest, and records every update so tests can wait for states.
 */
final class TestFramework implements Scheduler, AutoCloseable {
  record Pending(String taskId, String resources, CommandSpec command, String agentId) {}

  final SchedulerClient client;
  final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  final List<TaskStatus> updates = new CopyOnWriteArrayList<>();
  final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
  final List<String> errors = new CopyOnWriteArrayList<>();
  final List<OfferInfo> offersSeen = new CopyOnWriteArrayList<>();
  /**
   * When set, each offer gets one more task of this size and the rest is declined without a
   * filter, so the allocator decides, offer by offer, who gets the next task (for share tests).
   */
  volatile String greedyTaskResources;
  private int greedyCount;

  private final String name;

  TestFramework(MasterDetector detector, String name, String role, double failoverSeconds) throws InterruptedException {
    this.name = name;
    client = SchedulerClient.start(detector, new FrameworkInfo(null, name, "test", List.of(role), failoverSeconds, null), this);
    client.awaitSubscribed(Duration.ofSeconds(30));
  }

  void launch(String taskId, String resources, String shellCommand) {
    queue.add(new Pending(taskId, resources, CommandSpec.shell(shellCommand), null));
    client.revive(List.of());
  }

  @Override
  public synchronized void offers(SchedulerClient c, List<OfferInfo> offers) {
    offersSeen.addAll(offers);
    for (OfferInfo o : offers) {
      Resources left = Resources.parse(o.resources());
      List<TaskSpec> tasks = new ArrayList<>();
      if (greedyTaskResources != null) {
        Resources one = Resources.parse(greedyTaskResources);
        if (left.contains(one)) {
          tasks.add(new TaskSpec(name + "-greedy-" + (greedyCount++), "greedy", o.agentId(), greedyTaskResources,
              CommandSpec.shell("sleep 1000"), Map.of(), 1.0, null));
          left = left.minus(one);
        }
      }
      Pending p;
      while ((p = queue.peek()) != null && left.contains(Resources.parse(p.resources()))
          && (p.agentId() == null || p.agentId().equals(o.agentId()))) {
        queue.poll();
        tasks.add(new TaskSpec(p.taskId(), p.taskId(), o.agentId(), p.resources(), p.command(), Map.of(), 1.0, null));
        left = left.minus(Resources.parse(p.resources()));
      }
      double refuse = greedyTaskResources != null ? 0.0 : 1.0;
      if (tasks.isEmpty()) {
        c.decline(List.of(o.id()), refuse);
      } else {
        c.accept(List.of(o.id()), tasks, refuse);
      }
    }
  }

  @Override
  public void update(SchedulerClient c, TaskStatus status) {
    updates.add(status);
    latest.put(status.taskId(), status);
  }

  @Override
  public void error(SchedulerClient c, String message) {
    errors.add(message);
  }

  TaskStatus await(String taskId, Predicate<TaskStatus> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      TaskStatus s = latest.get(taskId);
      if (s != null && condition.test(s)) {
        return s;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("task " + taskId + " did not reach the expected state within " + timeout
        + "; latest: " + latest.get(taskId) + "; errors: " + errors);
  }

  /** Waits for any update of the task, not only the latest, to match. */
  TaskStatus awaitAny(String taskId, Predicate<TaskStatus> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (TaskStatus s : updates) {
        if (s.taskId().equals(taskId) && condition.test(s)) {
          return s;
        }
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no update of task " + taskId + " matched within " + timeout
        + "; latest: " + latest.get(taskId) + "; errors: " + errors);
  }

  TaskStatus awaitState(String taskId, TaskState state) throws InterruptedException {
    return await(taskId, s -> s.state() == state, Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    client.close();
  }
}
