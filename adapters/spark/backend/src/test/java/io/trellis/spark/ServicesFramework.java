package io.trellis.spark;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A long-running-services framework for the tests: it places queued tasks ({@code sleep}) on the
 * offers that fit, one per offer round, and suppresses offers once its queue is empty.
 */
final class ServicesFramework implements Scheduler, AutoCloseable {
  record Pending(String id, String resources) {}

  final Deque<Pending> queue = new ConcurrentLinkedDeque<>();
  final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
  final SchedulerClient client;

  /** Subscribes with its tasks already queued, so the first offers place them. */
  ServicesFramework(String zkOrMaster, String role, List<Pending> tasks) throws InterruptedException {
    queue.addAll(tasks);
    client = SchedulerClient.start(MasterDetectors.from(zkOrMaster),
        new FrameworkInfo(null, "services", "test", List.of(role), 0.0, null), this);
    client.awaitSubscribed(Duration.ofSeconds(30));
  }

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> offers) {
    List<String> unused = new ArrayList<>();
    for (OfferInfo o : offers) {
      Resources left = Resources.parse(o.resources());
      List<TaskSpec> launch = new ArrayList<>();
      Pending p;
      while ((p = queue.peek()) != null && left.contains(Resources.parse(p.resources()))) {
        queue.poll();
        left = left.minus(Resources.parse(p.resources()));
        launch.add(new TaskSpec(p.id(), p.id(), o.agentId(), p.resources(), CommandSpec.shell("sleep 600"),
            Map.of(), 1.0, null));
      }
      if (launch.isEmpty()) {
        unused.add(o.id());
      } else {
        c.accept(List.of(o.id()), launch, 3600.0);
      }
    }
    if (!unused.isEmpty()) {
      c.decline(unused, 3600.0);
    }
    if (queue.isEmpty()) {
      c.suppress(List.of());
    }
  }

  @Override
  public void update(SchedulerClient c, TaskStatus status) {
    latest.put(status.taskId(), status);
  }

  void kill(String taskId) {
    TaskStatus s = latest.get(taskId);
    client.kill(taskId, s.agentId());
  }

  @Override
  public void close() {
    client.teardown();
  }
}
