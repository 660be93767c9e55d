package io.trellis.jobs.framework;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.core.resource.Resources;
import io.trellis.jobs.engine.Launch;
import io.trellis.jobs.engine.Launcher;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches the engine's tasks on offers from the master: queued tasks go, in due order, onto the
 * first offer with room that meets their constraints. Offers are revived when work arrives and
 * suppressed when the queue runs dry. Status updates go to the engine, which stores them before
 * this returns (and so before the client acknowledges them).
 */
public final class OfferLauncher implements Launcher, Scheduler {
  private static final Logger log = LoggerFactory.getLogger(OfferLauncher.class);
  private static final double REFUSE_SECONDS = 5;

  private final InstantSource clock;
  private final Consumer<TaskStatus> updates;
  private final Consumer<String> frameworkIds;
  private final BiConsumer<Launch, Instant> accepted;
  private final ConcurrentLinkedDeque<Launch> queue = new ConcurrentLinkedDeque<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Set<String> toReconcile = ConcurrentHashMap.newKeySet();
  private final Map<String, String> agents = new ConcurrentHashMap<>();
  private volatile SchedulerClient client;
  private volatile boolean suppressed;

  /**
   * @param updates receives every status update; it stores it, then acknowledges it (the client
   *     runs without automatic acknowledgement)
   * @param frameworkIds receives the framework id after each subscription, to keep it
   * @param accepted told of each task handed to the master, with the instant of the ACCEPT
   */
  public OfferLauncher(InstantSource clock, Consumer<TaskStatus> updates, Consumer<String> frameworkIds,
      BiConsumer<Launch, Instant> accepted) {
    this.clock = clock;
    this.updates = updates;
    this.frameworkIds = frameworkIds;
    this.accepted = accepted;
  }

  public void attach(SchedulerClient c) {
    this.client = c;
  }

  @Override
  public void launch(Launch launch) {
    if (queued.add(launch.task().taskId())) {
      queue.addLast(launch);
      if (suppressed) {
        call(c -> interest(c, false));
      }
    }
  }

  @Override
  public boolean kill(String taskId) {
    if (queued.remove(taskId)) {
      queue.removeIf(l -> l.task().taskId().equals(taskId));
      return true;
    }
    String agent = agents.get(taskId);
    call(c -> c.kill(taskId, agent));
    return false;
  }

  @Override
  public void reconcile(Collection<String> taskIds) {
    toReconcile.addAll(taskIds);
    call(c -> c.reconcile(refs()));
  }

  private List<SchedulerCall.TaskRef> refs() {
    List<SchedulerCall.TaskRef> refs = new ArrayList<>();
    for (String id : toReconcile) {
      refs.add(new SchedulerCall.TaskRef(id, agents.get(id)));
    }
    return refs;
  }

  private void call(Consumer<SchedulerClient> call) {
    SchedulerClient c = client;
    if (c == null || c.subscribedTo() == null) {
      return; // Done again on the next subscription.
    }
    try {
      call.accept(c);
    } catch (RuntimeException e) {
      log.debug("call to the master failed; retried on the next subscription: {}", e.toString());
    }
  }

  // Scheduler callbacks, on the client's thread.

  @Override
  public void subscribed(SchedulerClient c, String frameworkId) {
    frameworkIds.accept(frameworkId);
    if (!toReconcile.isEmpty()) {
      log.info("reconciling {} tasks with the master", toReconcile.size());
      c.reconcile(refs());
    }
    interest(c, true);
  }

  /**
   * Suppresses offers when nothing waits, revives them when something does. One call at a time,
   * each deciding on the queue as it is then, so a revive never overtakes a later suppress.
   */
  private synchronized void interest(SchedulerClient c, boolean force) {
    boolean want = !queue.isEmpty();
    if (want && (suppressed || force)) {
      c.revive(List.of());
      suppressed = false;
    } else if (!want && (!suppressed || force)) {
      c.suppress(List.of());
      suppressed = true;
    }
  }

  /** Revives offers if tasks wait: a safety net against an offer lost on the way. */
  public void nudge() {
    if (!queue.isEmpty()) {
      call(c -> interest(c, true));
    }
  }

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> offers) {
    for (OfferInfo offer : offers) {
      Resources left = Resources.parse(offer.resources());
      List<TaskSpec> tasks = new ArrayList<>();
      List<Launch> taken = new ArrayList<>();
      for (Iterator<Launch> it = queue.iterator(); it.hasNext(); ) {
        Launch l = it.next();
        Resources need = Resources.parse(l.task().resources());
        if (left.contains(need) && Constraints.accept(l.constraints(), offer)) {
          it.remove();
          queued.remove(l.task().taskId());
          left = left.minus(need);
          TaskSpec t = l.task();
          tasks.add(new TaskSpec(t.taskId(), t.name(), offer.agentId(), t.resources(), t.command(), t.labels(),
              t.killGracePeriodSeconds(), t.container(), t.healthChecks()));
          taken.add(l);
        }
      }
      if (tasks.isEmpty()) {
        c.decline(List.of(offer.id()), REFUSE_SECONDS);
        continue;
      }
      Instant at = clock.instant();
      try {
        c.accept(List.of(offer.id()), tasks, REFUSE_SECONDS);
        for (Launch l : taken) {
          agents.put(l.task().taskId(), offer.agentId());
          accepted.accept(l, at);
        }
        log.debug("launched {} tasks on agent {}", tasks.size(), offer.agentId());
      } catch (RuntimeException e) {
        log.info("ACCEPT of {} tasks failed ({}); queued again", tasks.size(), e.getMessage());
        for (Launch l : taken) {
          launch(l);
        }
      }
    }
    interest(c, false);
  }

  @Override
  public void update(SchedulerClient c, TaskStatus status) {
    toReconcile.remove(status.taskId());
    if (status.agentId() != null) {
      agents.put(status.taskId(), status.agentId());
    }
    updates.accept(status);
    if (status.state().isTerminal()) {
      agents.remove(status.taskId());
    }
  }

  @Override
  public void error(SchedulerClient c, String message) {
    log.warn("the master reports: {}", message);
  }

  /** Tasks waiting for an offer. */
  public int queued() {
    return queue.size();
  }
}
