package io.trellis.bench;

import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One framework of {@link SimulatedClusterBenchmark}: launches its share of tasks into the offers
 * it gets, as many per offer as fit, all the tasks of one OFFERS event in one ACCEPT (each task
 * names its agent) and the unused offers in one DECLINE; suppresses offers once its share is
 * placed, and launches again (reviving) for tasks that fail.
 */
final class BenchFramework implements Scheduler, AutoCloseable {
  static final String TASK = "cpus:0.5;mem:512";
  private static final Resources ONE = Resources.parse(TASK);
  /** As frameworks in production do: a dropped stream does not cost the framework its tasks. */
  private static final double FAILOVER_SECONDS = 600;

  private final AtomicInteger toLaunch;
  private final AtomicInteger nextId = new AtomicInteger();
  private final AtomicLong offersSeen = new AtomicLong();
  private final AtomicLong acceptCalls = new AtomicLong();
  private final AtomicInteger subscriptions = new AtomicInteger();
  /** Running tasks by id, with their agent. */
  private final Map<String, String> live = new ConcurrentHashMap<>();
  private volatile boolean suppressed;
  private SchedulerClient client;

  private BenchFramework(int quota) {
    this.toLaunch = new AtomicInteger(quota);
  }

  static BenchFramework start(String master, String name, int quota) {
    BenchFramework f = new BenchFramework(quota);
    f.client = SchedulerClient.start(new FixedMasterDetector(master),
        new FrameworkInfo(null, name, "bench", List.of("*"), FAILOVER_SECONDS, null), f);
    return f;
  }

  long running() {
    return live.size();
  }

  long offersSeen() {
    return offersSeen.get();
  }

  long acceptCalls() {
    return acceptCalls.get();
  }

  /** How often the framework subscribed again after its first subscription (its stream broke). */
  int resubscriptions() {
    return Math.max(0, subscriptions.get() - 1);
  }

  @Override
  public void subscribed(SchedulerClient c, String frameworkId) {
    subscriptions.incrementAndGet();
  }

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> offers) {
    offersSeen.addAndGet(offers.size());
    List<String> used = new ArrayList<>();
    List<String> decline = new ArrayList<>();
    List<TaskSpec> batch = new ArrayList<>();
    for (OfferInfo o : offers) {
      Resources left = Resources.parse(o.resources());
      int before = batch.size();
      while (left.contains(ONE) && toLaunch.getAndDecrement() > 0) {
        String id = "t-" + nextId.getAndIncrement();
        batch.add(new TaskSpec(id, id, o.agentId(), TASK, CommandSpec.shell("serve"), Map.of(), null, null));
        left = left.minus(ONE);
      }
      if (toLaunch.get() < 0) {
        toLaunch.set(0);
      }
      (batch.size() > before ? used : decline).add(o.id());
    }
    if (!batch.isEmpty()) {
      acceptCalls.incrementAndGet();
      c.accept(used, batch, 0.0);
    }
    if (!decline.isEmpty()) {
      c.decline(decline, 60.0);
    }
    if (toLaunch.get() == 0 && !suppressed) {
      suppressed = true;
      c.suppress(List.of());
    }
  }

  @Override
  public void update(SchedulerClient c, TaskStatus s) {
    if (s.state() == TaskState.RUNNING) {
      live.put(s.taskId(), s.agentId());
    } else if (s.state().isTerminal()) {
      boolean wasLive = live.remove(s.taskId()) != null;
      if (s.state() != TaskState.KILLED && (wasLive || s.state() != TaskState.GONE)) {
        // A failed launch: its replacement goes into the next offers.
        toLaunch.incrementAndGet();
        suppressed = false;
        c.revive(List.of());
      }
    }
  }

  /** Sends a KILL for every task still running. */
  void killAll() {
    for (Map.Entry<String, String> t : Map.copyOf(live).entrySet()) {
      client.kill(t.getKey(), t.getValue());
    }
  }

  @Override
  public void close() {
    client.teardown();
    client.close();
  }
}
