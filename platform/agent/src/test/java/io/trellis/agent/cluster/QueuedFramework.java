package io.trellis.agent.cluster;

import io.trellis.api.OfferInfo;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A framework for tests that queues the offers and updates it gets, and waits on them. */
final class QueuedFramework implements Scheduler {
  final BlockingQueue<OfferInfo> offers = new LinkedBlockingQueue<>();
  final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> o) {
    offers.addAll(o);
  }

  @Override
  public void update(SchedulerClient c, TaskStatus s) {
    updates.add(s);
  }

  OfferInfo nextOffer() throws InterruptedException {
    OfferInfo o = offers.poll(30, TimeUnit.SECONDS);
    if (o == null) {
      throw new AssertionError("no offer within 30 s");
    }
    return o;
  }

  /** The next update of the task in one of {@code states}, skipping others. */
  TaskStatus await(String taskId, TaskState... states) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      TaskStatus s = updates.poll(100, TimeUnit.MILLISECONDS);
      if (s != null && s.taskId().equals(taskId) && List.of(states).contains(s.state())) {
        return s;
      }
    }
    throw new AssertionError("task " + taskId + " reached none of " + List.of(states) + " within 60 s");
  }
}
