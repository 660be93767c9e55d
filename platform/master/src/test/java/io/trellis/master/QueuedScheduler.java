package io.trellis.master;

import io.trellis.api.OfferInfo;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A framework for tests that queues every offer and update it gets, to be taken in order. */
final class QueuedScheduler implements Scheduler {
  final BlockingQueue<List<OfferInfo>> offers = new LinkedBlockingQueue<>();
  final BlockingQueue<TaskStatus> updates = new LinkedBlockingQueue<>();

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> o) {
    offers.add(o);
  }

  @Override
  public void update(SchedulerClient c, TaskStatus s) {
    updates.add(s);
  }
}
