package io.trellis.jobs.framework;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 * <p>One thread, the placer, owns the queue, the held offers and what is known of each task:
 * the engine's calls and the master's events reach it as tasks on that thread. Its decisions go
 * to the master from other threads (ACCEPTs side by side, the rest in order), so a slow answer
 * from the master never holds up the placement of the next slot's tasks; what comes of a call
 * returns to the placer. A task that cannot be launched (resources that do not parse, a
 * constraint that cannot be evaluated) ends in TASK_ERROR with the reason, reported like any
 * other update; it never stops the placer or the handling of offers.
 */
public final class OfferLauncher implements Launcher, Scheduler {
  private static final Logger log = LoggerFactory.getLogger(OfferLauncher.class);
  private static final double REFUSE_SECONDS = 5;
  static final Duration SOON = Duration.ofSeconds(10);
  static final Duration HOLD = Duration.ofSeconds(10);
  static final int MAX_HELD = 4;
  private static final int ACCEPT_THREADS = 4;

  private record Held(OfferInfo offer, Instant since) {}

  /** The answer to one offer: launch {@code taken} on it, or decline it. */
  private record Answer(OfferInfo offer, List<Launch> taken, double refuseSeconds) {}

  private final InstantSource clock;
  private final Consumer<TaskStatus> updates;
  private final Consumer<String> onSubscribed;
  private final BiConsumer<Launch, Instant> accepted;
  private final Supplier<Optional<Instant>> nextDue;

  // Owned by the placer thread.
  private final List<Launch> queue = new ArrayList<>();
  private final Set<String> queued = new HashSet<>();
  private final Map<String, Held> held = new LinkedHashMap<>();
  /** Tasks taken off the queue whose ACCEPT is on its way. */
  private final Set<String> inFlight = new HashSet<>();
  /** Tasks killed while their ACCEPT was on its way: killed once it is through. */
  private final Set<String> killAfterAccept = new HashSet<>();
  private final Set<String> toReconcile = new HashSet<>();
  private final Map<String, String> agents = new HashMap<>();
  private SchedulerClient client;
  private boolean suppressed;
  private volatile int queuedCount;
  /** Subscribed, and every task to reconcile answered for; readable from any thread. */
  private volatile boolean recovered;

  private final ExecutorService placer = threads("trellis-jobs-launch", 1);
  /** Calls whose order matters (suppress, revive, decline, kill, reconcile), one at a time. */
  private final ExecutorService calls = threads("trellis-jobs-calls", 1);
  /** ACCEPTs, each for its own offer, side by side: a burst of due tasks leaves on several offers at once. */
  private final ExecutorService accepts = threads("trellis-jobs-accept", ACCEPT_THREADS);

  private static ExecutorService threads(String name, int n) {
    return Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * @param updates receives every status update; it stores it, then acknowledges it (the client
   *     runs without automatic acknowledgement)
   * @param onSubscribed told of each subscription to a master, with the framework id, before
   *     any answer to that subscription's reconciliation
   * @param accepted told of each task handed to the master, with the instant of the ACCEPT
   * @param nextDue the next instant a slot is due, if any (from any thread)
   */
  public OfferLauncher(InstantSource clock, Consumer<TaskStatus> updates, Consumer<String> onSubscribed,
      BiConsumer<Launch, Instant> accepted, Supplier<Optional<Instant>> nextDue) {
    this.clock = clock;
    this.updates = updates;
    this.onSubscribed = onSubscribed;
    this.accepted = accepted;
    this.nextDue = nextDue;
  }

  public void attach(SchedulerClient c) {
    onPlacer(() -> {
      client = c;
      noteRecovery();
    });
  }

  /** Runs {@code work} on the placer; a failure is logged and never stops the placer. */
  private void onPlacer(Runnable work) {
    try {
      placer.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.error("jobs launcher step failed: {}", e.toString(), e);
        }
      });
    } catch (RejectedExecutionException closed) {
      log.debug("launcher closed: nothing to do");
    }
  }

  /** Sends to the master off the placer, in order; a failed call is handed to {@code failed} on the placer. */
  private void call(String what, Runnable send, Consumer<RuntimeException> failed) {
    call(calls, what, send, failed);
  }

  private void call(ExecutorService on, String what, Runnable send, Consumer<RuntimeException> failed) {
    try {
      on.execute(() -> {
        try {
          send.run();
        } catch (RuntimeException e) {
          log.debug("{} failed: {}", what, e.toString());
          onPlacer(() -> failed.accept(e));
        }
      });
    } catch (RejectedExecutionException closed) {
      log.debug("launcher closed: {} not sent", what);
    }
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
    List<Launch> copy = List.copyOf(launches);
    onPlacer(() -> {
      for (Launch l : copy) {
        enqueue(l);
      }
      placeOnHeld();
    });
  }

  private void enqueue(Launch l) {
    String id = l.task().taskId();
    try {
      Resources.parse(l.task().resources());
    } catch (RuntimeException e) {
      refuse(l, "cannot launch: " + e.getMessage());
      return;
    }
    if (queued.add(id)) {
      queue.add(l);
      queuedCount = queue.size();
    }
  }

  /** A task that can never launch ends at once, reported like an update from the master. */
  private void refuse(Launch l, String reason) {
    log.warn("task {} of job {}: {}", l.task().taskId(), l.task().name(), reason);
    updates.accept(new TaskStatus(l.task().taskId(), null, null, TaskState.ERROR, "REASON_TASK_INVALID", reason,
        null, null, clock.millis() / 1000.0));
  }

  /** Puts queued tasks on held offers, else asks for offers. */
  private void placeOnHeld() {
    SchedulerClient c = live();
    if (c == null) {
      return; // The next subscription revives offers.
    }
    List<Answer> answers = new ArrayList<>();
    // Taken out of the held ones before placing: place() may hold an offer again (a queued task
    // that fits none, say), which must not change the map being walked.
    List<Held> offers = new ArrayList<>();
    for (Iterator<Held> it = held.values().iterator(); it.hasNext() && offers.size() < queue.size(); ) {
      offers.add(it.next());
      it.remove();
    }
    for (Held h : offers) {
      place(h.offer(), answers);
    }
    interest(c, false);
    send(c, answers);
  }

  /** Declines the offers it holds and stops; waits a few seconds for the calls to leave. */
  public void close() {
    onPlacer(() -> {
      SchedulerClient c = live();
      if (c != null) {
        List<Answer> answers = new ArrayList<>();
        for (Held h : held.values()) {
          answers.add(new Answer(h.offer(), List.of(), 0.0));
        }
        send(c, answers);
      }
      held.clear();
    });
    placer.shutdown();
    try {
      if (placer.awaitTermination(5, TimeUnit.SECONDS)) {
        calls.shutdown();
        accepts.shutdown();
        calls.awaitTermination(5, TimeUnit.SECONDS);
        accepts.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    placer.shutdownNow();
    calls.shutdownNow();
    accepts.shutdownNow();
  }

  /**
   * Always false: a task still queued is dropped and reported KILLED through the updates, one
   * on its way is killed once its ACCEPT is through, one launched is killed at the master.
   */
  @Override
  public boolean kill(String taskId) {
    onPlacer(() -> killOnPlacer(taskId));
    return false;
  }

  private void killOnPlacer(String taskId) {
    if (queued.remove(taskId)) {
      queue.removeIf(l -> l.task().taskId().equals(taskId));
      queuedCount = queue.size();
      updates.accept(new TaskStatus(taskId, null, null, TaskState.KILLED, "REASON_TASK_KILLED_DURING_LAUNCH",
          "killed before it was launched", null, null, clock.millis() / 1000.0));
      return;
    }
    if (inFlight.contains(taskId)) {
      killAfterAccept.add(taskId);
      return;
    }
    SchedulerClient c = live();
    if (c != null) {
      String agent = agents.get(taskId);
      call("kill of " + taskId, () -> c.kill(taskId, agent), e -> {
        log.info("kill of {} failed ({}); the task is reconciled later", taskId, e.getMessage());
        toReconcile.add(taskId);
        noteRecovery();
      });
    }
  }

  @Override
  public void reconcile(Collection<String> taskIds) {
    List<String> ids = List.copyOf(taskIds);
    onPlacer(() -> {
      toReconcile.addAll(ids);
      noteRecovery();
      SchedulerClient c = live();
      if (c != null) {
        sendReconcile(c);
      }
    });
  }

  private void sendReconcile(SchedulerClient c) {
    List<SchedulerCall.TaskRef> refs = new ArrayList<>();
    for (String id : toReconcile) {
      refs.add(new SchedulerCall.TaskRef(id, agents.get(id)));
    }
    call("reconciliation", () -> c.reconcile(refs), e -> { }); // Retried on the next subscription.
  }

  private SchedulerClient live() {
    SchedulerClient c = client;
    return c == null || c.subscribedTo() == null ? null : c;
  }

  private boolean dueSoon() {
    Optional<Instant> next = nextDue.get();
    return next.isPresent() && !next.get().isAfter(clock.instant().plus(SOON));
  }

  /** The role demands are stated under; none are stated until it is set. */
  private volatile String role;
  /** What the master was last told waits (owned by the placer). */
  private List<SchedulerCall.Demand> declared = List.of();

  /** States queued tasks to the master as demands under {@code role} (the framework's role). */
  public void declareUnder(String role) {
    this.role = role;
  }

  /**
   * Tells the master what waits: one demand per job with queued tasks (its task's scalars, how
   * many), so the allocator offers at least one task's worth, knows the role has work waiting
   * and, below a guarantee, can preempt for it. Sent when it changes; a refusal is logged.
   */
  private void declare(SchedulerClient c) {
    String r = role;
    if (r == null) {
      return;
    }
    Map<String, SchedulerCall.Demand> byJob = new LinkedHashMap<>();
    for (Launch l : queue) {
      String shape;
      try {
        shape = Resources.parse(l.task().resources()).scalars().toString();
      } catch (RuntimeException unreadable) {
        continue; // The task fails with the reason when it meets an offer.
      }
      byJob.merge(l.task().name(), new SchedulerCall.Demand(l.task().name(), r, shape, 1, List.of(), null),
          (a, b) -> new SchedulerCall.Demand(a.id(), r, a.resources(), a.count() + 1, List.of(), null));
    }
    List<SchedulerCall.Demand> now = List.copyOf(byJob.values());
    if (now.equals(declared)) {
      return;
    }
    declared = now;
    call("request", () -> c.request(now), e -> {
      log.warn("the master refused what the jobs wait for: {}", e.getMessage());
    });
  }

  /** Wants offers while tasks wait or a slot is due soon. */
  private void interest(SchedulerClient c, boolean force) {
    declare(c);
    boolean want = !queue.isEmpty() || dueSoon();
    if (want && (suppressed || force)) {
      suppressed = false;
      call("revive", () -> c.revive(List.of()), e -> suppressed = true);
    } else if (!want && (!suppressed || force)) {
      suppressed = true;
      call("suppress", () -> c.suppress(List.of()), e -> suppressed = false);
    }
  }

  /**
   * Every few seconds: returns offers held too long (or no longer needed) and asks for offers
   * again if tasks wait or a slot comes soon.
   */
  public void nudge() {
    onPlacer(this::returnAndAsk);
  }

  private void returnAndAsk() {
    SchedulerClient c = live();
    if (c == null) {
      return;
    }
    List<Answer> answers = new ArrayList<>();
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
    send(c, answers);
    if (!toReconcile.isEmpty()) {
      sendReconcile(c); // Until every task is answered for, as after a failover of the master.
    }
  }

  /** Takes the queued tasks that fit on the offer, or holds it, or declines it. */
  private void place(OfferInfo offer, List<Answer> answers) {
    List<Launch> taken = new ArrayList<>();
    try {
      Resources left = Resources.parse(offer.resources());
      for (Iterator<Launch> it = queue.iterator(); it.hasNext(); ) {
        Launch l = it.next();
        Resources need;
        boolean fits;
        try {
          need = Resources.parse(l.task().resources());
          fits = left.contains(need) && Constraints.accept(l.constraints(), offer);
        } catch (RuntimeException e) {
          it.remove();
          queued.remove(l.task().taskId());
          refuse(l, "cannot launch: " + e.getMessage());
          continue;
        }
        if (fits) {
          it.remove();
          queued.remove(l.task().taskId());
          inFlight.add(l.task().taskId());
          left = left.minus(need);
          taken.add(l);
        }
      }
    } catch (RuntimeException e) {
      log.warn("offer {} from agent {} not understood ({}); declined", offer.id(), offer.agentId(), e.getMessage());
    }
    queuedCount = queue.size();
    boolean soon = dueSoon();
    if (taken.isEmpty() && soon && held.size() < MAX_HELD) {
      held.put(offer.id(), new Held(offer, clock.instant()));
    } else {
      // The rest of an accepted offer comes back at once while more slots are due soon.
      answers.add(new Answer(offer, taken, soon && !taken.isEmpty() ? 0.0 : REFUSE_SECONDS));
    }
  }

  /** Sends the ACCEPTs, one call each, then the declines, one call per filter. */
  private void send(SchedulerClient c, List<Answer> answers) {
    Map<Double, List<String>> declines = new LinkedHashMap<>();
    for (Answer a : answers) {
      if (a.taken().isEmpty()) {
        declines.computeIfAbsent(a.refuseSeconds(), k -> new ArrayList<>()).add(a.offer().id());
      } else {
        accept(c, a);
      }
    }
    declines.forEach((refuse, ids) -> call("decline of " + ids, () -> c.decline(ids, refuse), e -> { }));
  }

  private void accept(SchedulerClient c, Answer a) {
    OfferInfo offer = a.offer();
    List<TaskSpec> tasks = new ArrayList<>();
    for (Launch l : a.taken()) {
      TaskSpec t = l.task();
      tasks.add(new TaskSpec(t.taskId(), t.name(), offer.agentId(), t.resources(), t.command(), t.labels(),
          t.killGracePeriodSeconds(), t.container(), t.healthChecks(), t.priority(), t.preemptible()));
    }
    Instant at = clock.instant();
    call(accepts, "ACCEPT of " + tasks.size() + " tasks", () -> {
      c.accept(List.of(offer.id()), tasks, a.refuseSeconds());
      io.trellis.core.CrashPoints.reached("jobs.launch-sent");
      long answered = clock.millis();
      onPlacer(() -> accepted(a, at, answered));
    }, e -> {
      log.info("ACCEPT of {} tasks failed ({}); queued again", tasks.size(), e.getMessage());
      List<Launch> again = new ArrayList<>();
      for (Launch l : a.taken()) {
        inFlight.remove(l.task().taskId());
        if (killAfterAccept.remove(l.task().taskId())) {
          killOnPlacer(l.task().taskId());
        } else if (queued.add(l.task().taskId())) {
          again.add(l);
        }
      }
      queue.addAll(0, again);
      queuedCount = queue.size();
    });
  }

  private void accepted(Answer a, Instant at, long answered) {
    for (Launch l : a.taken()) {
      String id = l.task().taskId();
      agents.put(id, a.offer().agentId());
      inFlight.remove(id);
      accepted.accept(l, at);
      if (killAfterAccept.remove(id)) {
        killOnPlacer(id);
      }
    }
    if (log.isDebugEnabled()) {
      long late = at.toEpochMilli() - a.taken().get(0).due().toEpochMilli();
      log.debug("launched {} tasks on agent {}; ACCEPT sent {} ms after the first was due, answered in {} ms",
          a.taken().size(), a.offer().agentId(), late, answered - at.toEpochMilli());
    }
  }

  // Scheduler callbacks, on the client's thread: handed to the placer.

  @Override
  public void subscribed(SchedulerClient c, String frameworkId) {
    onSubscribed.accept(frameworkId);
    onPlacer(() -> {
      client = c; // Its first subscription may come before attach.
      if (!toReconcile.isEmpty()) {
        log.info("reconciling {} tasks with the master", toReconcile.size());
        sendReconcile(c);
      }
      held.clear();
      interest(c, true);
      noteRecovery();
    });
  }

  @Override
  public void offers(SchedulerClient c, List<OfferInfo> offers) {
    List<OfferInfo> copy = List.copyOf(offers);
    onPlacer(() -> {
      List<Answer> answers = new ArrayList<>();
      for (OfferInfo offer : copy) {
        place(offer, answers);
      }
      interest(c, false);
      send(c, answers);
    });
  }

  @Override
  public void rescind(SchedulerClient c, String offerId) {
    onPlacer(() -> held.remove(offerId));
  }

  @Override
  public void update(SchedulerClient c, TaskStatus status) {
    onPlacer(() -> {
      toReconcile.remove(status.taskId());
      noteRecovery();
      if (status.state().isTerminal()) {
        agents.remove(status.taskId());
      } else if (status.agentId() != null) {
        agents.put(status.taskId(), status.agentId());
      }
    });
    updates.accept(status);
  }

  @Override
  public void disconnected(SchedulerClient c, String reason) {
    onPlacer(this::noteRecovery);
  }

  @Override
  public void error(SchedulerClient c, String message) {
    log.warn("the master reports: {}", message);
  }

  /** Whether the launcher is subscribed and has nothing left to reconcile (from any thread). */
  public boolean recovered() {
    return recovered;
  }

  /** After each change of the subscription or of the tasks to reconcile, on the placer. */
  private void noteRecovery() {
    recovered = live() != null && toReconcile.isEmpty();
  }

  /** Tasks waiting for an offer (from any thread). */
  public int queued() {
    return queuedCount;
  }
}
