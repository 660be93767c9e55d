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
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 *
 * <p>What to do with each offer is decided under a lock; the ACCEPT and DECLINE calls go to the
 * master after it is released, so a slow answer from the master never holds up the placement of
 * the next slot's tasks on another offer. Declines of one round share one call.
 */
public final class OfferLauncher implements Launcher, Scheduler {
  private static final Logger log = LoggerFactory.getLogger(OfferLauncher.class);
  private static final double REFUSE_SECONDS = 5;
  static final Duration SOON = Duration.ofSeconds(10);
  static final Duration HOLD = Duration.ofSeconds(10);
  static final int MAX_HELD = 4;

  private record Held(OfferInfo offer, Instant since) {}

  /** The answer to one offer, decided under the lock: launch {@code taken} on it, or decline it. */
  private record Answer(OfferInfo offer, List<Launch> taken, double refuseSeconds) {}

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
  /** Tasks taken off the queue whose ACCEPT is on its way; under the lock. */
  private final Set<String> inFlight = new HashSet<>();
  /** Tasks killed while their ACCEPT was on its way: killed once it is through; under the lock. */
  private final Set<String> killAfterAccept = new HashSet<>();
  private final Set<String> toReconcile = ConcurrentHashMap.newKeySet();
  private final Map<String, String> agents = new ConcurrentHashMap<>();
  private volatile SchedulerClient client;
  private boolean suppressed;
  private final ExecutorService placer = Executors.newSingleThreadExecutor(r -> {
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
    List<Answer> answers = new ArrayList<>();
    synchronized (lock) {
      for (Iterator<Held> it = held.values().iterator(); it.hasNext() && !queue.isEmpty(); ) {
        Held h = it.next();
        it.remove();
        place(h.offer(), answers);
      }
      interest(c, false);
    }
    send(c, answers);
  }

  /** Declines the offers it holds and stops the placer thread. */
  public void close() {
    SchedulerClient c = live();
    List<Answer> answers = new ArrayList<>();
    synchronized (lock) {
      for (Held h : held.values()) {
        answers.add(new Answer(h.offer(), List.of(), 0.0));
      }
      held.clear();
    }
    if (c != null) {
      send(c, answers);
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
      if (inFlight.contains(taskId)) {
        killAfterAccept.add(taskId);
        return false;
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
   * again if tasks wait or a slot comes soon. The calls to the master go from the placer thread,
   * never from the caller's (the engine's).
   */
  public void nudge() {
    try {
      placer.execute(this::returnAndAsk);
    } catch (RejectedExecutionException closed) {
      log.debug("nudge after close: nothing to do");
    }
  }

  private void returnAndAsk() {
    SchedulerClient c = live();
    if (c == null) {
      return;
    }
    List<Answer> answers = new ArrayList<>();
    synchronized (lock) {
      Instant now = clock.instant();
      boolean soon = dueSoon();
      for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
        Held h = it.next();
        if (!soon || h.since().plus(HOLD).isBefore(now)) {
          it.remove();
          answers.add(new Answer(h.offer(), List.of(), soon ? 0.0 : REFUSE_SECONDS));
        }
      }
      interest(c, !queue.isEmpty());
    }
    send(c, answers);
  }

  /** Under the lock: takes the queued tasks that fit on the offer, or holds it, or declines it. */
  private void place(OfferInfo offer, List<Answer> answers) {
    Resources left = Resources.parse(offer.resources());
    List<Launch> taken = new ArrayList<>();
    for (Iterator<Launch> it = queue.iterator(); it.hasNext(); ) {
      Launch l = it.next();
      Resources need = Resources.parse(l.task().resources());
      if (left.contains(need) && Constraints.accept(l.constraints(), offer)) {
        it.remove();
        queued.remove(l.task().taskId());
        inFlight.add(l.task().taskId());
        left = left.minus(need);
        taken.add(l);
      }
    }
    boolean soon = dueSoon();
    if (taken.isEmpty() && soon && held.size() < MAX_HELD) {
      held.put(offer.id(), new Held(offer, clock.instant()));
    } else {
      // The rest of an accepted offer comes back at once while more slots are due soon.
      answers.add(new Answer(offer, taken, soon && !taken.isEmpty() ? 0.0 : REFUSE_SECONDS));
    }
  }

  /** Off the lock: sends the ACCEPTs, one call each, then the declines, one call per filter. */
  private void send(SchedulerClient c, List<Answer> answers) {
    Map<Double, List<String>> declines = new LinkedHashMap<>();
    for (Answer a : answers) {
      if (a.taken().isEmpty()) {
        declines.computeIfAbsent(a.refuseSeconds(), k -> new ArrayList<>()).add(a.offer().id());
      } else {
        accept(c, a);
      }
    }
    declines.forEach((refuse, ids) -> {
      try {
        c.decline(ids, refuse);
      } catch (RuntimeException e) {
        log.debug("decline of {} failed: {}", ids, e.toString());
      }
    });
  }

  private void accept(SchedulerClient c, Answer a) {
    OfferInfo offer = a.offer();
    List<TaskSpec> tasks = new ArrayList<>();
    for (Launch l : a.taken()) {
      TaskSpec t = l.task();
      tasks.add(new TaskSpec(t.taskId(), t.name(), offer.agentId(), t.resources(), t.command(), t.labels(),
          t.killGracePeriodSeconds(), t.container(), t.healthChecks()));
    }
    Instant at = clock.instant();
    try {
      c.accept(List.of(offer.id()), tasks, a.refuseSeconds());
    } catch (RuntimeException e) {
      log.info("ACCEPT of {} tasks failed ({}); queued again", tasks.size(), e.getMessage());
      synchronized (lock) {
        List<Launch> again = new ArrayList<>();
        for (Launch l : a.taken()) {
          inFlight.remove(l.task().taskId());
          if (queued.add(l.task().taskId())) {
            again.add(l);
          }
        }
        queue.addAll(0, again);
      }
      return;
    }
    List<String> toKill = new ArrayList<>();
    synchronized (lock) {
      for (Launch l : a.taken()) {
        agents.put(l.task().taskId(), offer.agentId());
        inFlight.remove(l.task().taskId());
        if (killAfterAccept.remove(l.task().taskId())) {
          toKill.add(l.task().taskId());
        }
      }
    }
    for (Launch l : a.taken()) {
      accepted.accept(l, at);
    }
    if (log.isDebugEnabled()) {
      long late = at.toEpochMilli() - a.taken().get(0).due().toEpochMilli();
      log.debug("launched {} tasks on agent {}; ACCEPT sent {} ms after the first was due, answered in {} ms",
          tasks.size(), offer.agentId(), late, clock.millis() - at.toEpochMilli());
    }
    for (String id : toKill) {
      kill(id);
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
    List<Answer> answers = new ArrayList<>();
    synchronized (lock) {
      for (OfferInfo offer : offers) {
        place(offer, answers);
      }
      interest(c, false);
    }
    send(c, answers);
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
