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
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches the engine's tasks on offers from the master: queued tasks go, in due order, onto the
 * first offer with room that meets their constraints.
 *
 * <p>Offers are wanted while tasks wait or a slot is due soon ({@link #SOON}), suppressed
 * otherwise. While a slot is due soon, a few offers without work are held instead of declined,
 * so that the slot's tasks leave at once, without a round trip to the master; held offers go
 * back after {@link #HOLD}. Status updates go to {@code updates}, which stores and acknowledges
 * them.
 */
public final class OfferLauncher implements Launcher, Scheduler {
  private static final Logger log = LoggerFactory.getLogger(OfferLauncher.class);
  private static final double REFUSE_SECONDS = 5;
  static final Duration SOON = Duration.ofSeconds(10);
  static final Duration HOLD = Duration.ofSeconds(10);
  static final int MAX_HELD = 4;

  private record Held(OfferInfo offer, Instant since) {}

  private final InstantSource clock;
  private final Consumer<TaskStatus> updates;
  private final Consumer<String> frameworkIds;
  private final BiConsumer<Launch, Instant> accepted;
  private final Supplier<Optional<Instant>> nextDue;
  /** Guards the queue, the held offers and the suppressed flag; calls to the master happen under it. */
  private final Object lock = new Object();
  private final List<Launch> queue = new ArrayList<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, Held> held = new LinkedHashMap<>();
  private final Set<String> toReconcile = ConcurrentHashMap.newKeySet();
  private final Map<String, String> agents = new ConcurrentHashMap<>();
  private volatile SchedulerClient client;
  private boolean suppressed;
  private final java.util.concurrent.ExecutorService placer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "trellis-jobs-launch");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param updates receives every status update; it stores it, then acknowledges it (the client
   *     runs without automatic acknowledgement)
   * @param frameworkIds receives the framework id after each subscription, to keep it
   * @param accepted told of each task handed to the master, with the instant of the ACCEPT
   * @param nextDue the next instant a slot is due, if any (from any thread)
   */
  public OfferLauncher(InstantSource clock, Consumer<TaskStatus> updates, Consumer<String> frameworkIds,
      BiConsumer<Launch, Instant> accepted, Supplier<Optional<Instant>> nextDue) {
    this.clock = clock;
    this.updates = updates;
    this.frameworkIds = frameworkIds;
    this.accepted = accepted;
    this.nextDue = nextDue;
  }

  public void attach(SchedulerClient c) {
    this.client = c;
  }

  @Override
  public void launch(Launch launch) {
    launchAll(List.of(launch));
  }

  @Override
  public void launchAll(List<Launch> launches) {
    if (launches.isEmpty()) {
      return;
    }
    synchronized (lock) {
      for (Launch l : launches) {
        if (queued.add(l.task().taskId())) {
          queue.add(l);
        }
      }
    }
    placer.execute(this::placeOnHeld);
  }

  /** On the placer thread, off the engine's: puts queued tasks on held offers, else asks for offers. */
  private void placeOnHeld() {
    SchedulerClient c = live();
    if (c == null) {
      return; // The next subscription revives offers.
    }
    synchronized (lock) {
      for (Iterator<Held> it = held.values().iterator(); it.hasNext() && !queue.isEmpty(); ) {
        Held h = it.next();
        it.remove();
        place(c, h.offer());
      }
      interest(c, false);
    }
  }

  /** Declines the offers it holds and stops the placer thread. */
  public void close() {
    SchedulerClient c = live();
    synchronized (lock) {
      if (c != null) {
        for (Held h : held.values()) {
          decline(c, h.offer(), 0.0);
        }
      }
      held.clear();
    }
    placer.shutdownNow();
  }

  @Override
  public boolean kill(String taskId) {
    synchronized (lock) {
      if (queued.remove(taskId)) {
        queue.removeIf(l -> l.task().taskId().equals(taskId));
        return true;
      }
    }
    SchedulerClient c = live();
    if (c != null) {
      try {
        c.kill(taskId, agents.get(taskId));
      } catch (RuntimeException e) {
        log.info("kill of {} failed ({}); the task is reconciled later", taskId, e.getMessage());
        toReconcile.add(taskId);
      }
    }
    return false;
  }

  @Override
  public void reconcile(Collection<String> taskIds) {
    toReconcile.addAll(taskIds);
    SchedulerClient c = live();
    if (c != null) {
      try {
        c.reconcile(refs());
      } catch (RuntimeException e) {
        log.debug("reconciliation failed; retried on the next subscription: {}", e.toString());
      }
    }
  }

  private List<SchedulerCall.TaskRef> refs() {
    List<SchedulerCall.TaskRef> refs = new ArrayList<>();
    for (String id : toReconcile) {
      refs.add(new SchedulerCall.TaskRef(id, agents.get(id)));
    }
    return refs;
  }

  private SchedulerClient live() {
    SchedulerClient c = client;
    return c == null || c.subscribedTo() == null ? null : c;
  }

  private boolean dueSoon() {
    Optional<Instant> next = nextDue.get();
    return next.isPresent() && !next.get().isAfter(clock.instant().plus(SOON));
  }

  /** Under the lock: wants offers while tasks wait or a slot is due soon; one call at a time. */
  private void interest(SchedulerClient c, boolean force) {
    boolean want = !queue.isEmpty() || dueSoon();
    try {
      if (want && (suppressed || force)) {
        c.revive(List.of());
        suppressed = false;
      } else if (!want && (!suppressed || force)) {
        c.suppress(List.of());
        suppressed = true;
      }
    } catch (RuntimeException e) {
      log.debug("suppress/revive failed; retried by the next nudge: {}", e.toString());
    }
  }

  /**
   * Every few seconds: returns offers held too long (or no longer needed) and asks for offers
   * again if tasks wait or a slot comes soon.
   */
  public void nudge() {
    SchedulerClient c = live();
    if (c == null) {
      return;
    }
    synchronized (lock) {
      Instant now = clock.instant();
      boolean soon = dueSoon();
      for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
        Held h = it.next();
        if (!soon || h.since().plus(HOLD).isBefore(now)) {
          it.remove();
          decline(c, h.offer(), soon ? 0.0 : REFUSE_SECONDS);
        }
      }
      interest(c, !queue.isEmpty());
    }
  }

  /** Under the lock: launches what fits on the offer, or holds or declines it. */
  private void place(SchedulerClient c, OfferInfo offer) {
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
      if (dueSoon() && held.size() < MAX_HELD) {
        held.put(offer.id(), new Held(offer, clock.instant()));
      } else {
        decline(c, offer, REFUSE_SECONDS);
      }
      return;
    }
    Instant at = clock.instant();
    try {
      // The rest of the offer comes back at once while more slots are due soon.
      c.accept(List.of(offer.id()), tasks, dueSoon() ? 0.0 : REFUSE_SECONDS);
      for (Launch l : taken) {
        agents.put(l.task().taskId(), offer.agentId());
        accepted.accept(l, at);
      }
      log.debug("launched {} tasks on agent {}", tasks.size(), offer.agentId());
    } catch (RuntimeException e) {
      log.info("ACCEPT of {} tasks failed ({}); queued again", tasks.size(), e.getMessage());
      for (int i = taken.size() - 1; i >= 0; i--) {
        queue.add(0, taken.get(i));
        queued.add(taken.get(i).task().taskId());
      }
    }
  }

  private static void decline(SchedulerClient c, OfferInfo offer, double refuseSeconds) {
    try {
      c.decline(List.of(offer.id()), refuseSeconds);
    } catch (RuntimeException e) {
      log.debug("decline of {} failed: {}", offer.id(), e.toString());
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
    synchronized (lock) {
      held.clear();
      interest(c, true);
    }
  }

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> offers) {
    synchronized (lock) {
      for (OfferInfo offer : offers) {
        place(c, offer);
      }
      interest(c, false);
    }
  }

  @Override
  public void rescind(SchedulerClient c, String offerId) {
    synchronized (lock) {
      held.remove(offerId);
    }
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
    synchronized (lock) {
      return queue.size();
    }
  }
}
