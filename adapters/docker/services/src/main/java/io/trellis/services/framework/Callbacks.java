package io.trellis.services.framework;

import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.services.instance.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's callbacks, handed to the event loop in order: offers to {@link Offers}, updates
 * to {@link Updates} (acknowledged once applied), and on every subscription a reconciliation of
 * every stored instance before anything is launched or killed.
 */
final class Callbacks implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Callbacks.class);
  private static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(30);

  private final Parts parts;
  private final Offers offers;
  private final Updates updates;
  private final Convergence convergence;
  /** A convergence pass is queued on the loop (touched only on the loop). */
  private boolean convergePending;

  Callbacks(Parts parts, Offers offers, Updates updates, Convergence convergence) {
    this.parts = parts;
    this.offers = offers;
    this.updates = updates;
    this.convergence = convergence;
  }

  @Override
  public void subscribed(SchedulerClient client, String frameworkId) {
    parts.loop.execute("subscribed", () -> {
      // The first subscription can arrive before start() has stored the client it returned.
      parts.client = client;
      onSubscribed(frameworkId);
    });
  }

  @Override
  public void offers(SchedulerClient client, List<OfferInfo> list) {
    parts.loop.execute("offers", () -> offers.handle(list));
  }

  @Override
  public void update(SchedulerClient client, TaskStatus status) {
    parts.loop.execute("update", () -> {
      try {
        updates.apply(status);
      } catch (RuntimeException e) {
        // Acknowledged all the same: an update that cannot be applied would otherwise come back
        // for good; reconciliation reports the task's state again.
        log.warn("cannot apply the update of task {} ({}): {}", status.taskId(), status.state(), e.toString());
        log.debug("update of {} failed", status.taskId(), e);
        Instance i = parts.state.instances.get(status.taskId());
        if (i != null) {
          Map<String, Object> failure = new LinkedHashMap<>();
          failure.put("appId", i.appId());
          failure.put("taskId", i.taskId());
          failure.put("state", "TASK_" + status.state());
          failure.put("message", "the services framework cannot apply this update: " + e);
          failure.put("timestamp", parts.now());
          parts.state.lastFailures.put(i.appId(), failure);
        }
      }
      convergeSoon();
      io.trellis.core.CrashPoints.reached("services.before-acknowledge");
      // Acknowledged once applied, off the loop: the client sends the acknowledgements queued
      // meanwhile together, in one call.
      client.acknowledgeSoon(status);
    });
  }

  @Override
  public void error(SchedulerClient client, String message) {
    log.warn("the master reported: {}", message);
  }

  @Override
  public void disconnected(SchedulerClient client, String reason) {
    parts.loop.execute("disconnected", () -> {
      if (parts.subscribed) {
        log.info("lost the master ({}); reconnecting", reason);
      }
      parts.subscribed = false;
    });
  }

  /**
   * Runs the convergence once after the updates already queued on the loop: a burst of updates
   * costs one pass over the apps, not one per update.
   */
  void convergeSoon() {
    if (!convergePending) {
      convergePending = true;
      parts.loop.execute("convergence", () -> {
        convergePending = false;
        convergence.run();
      });
    }
  }

  private void onSubscribed(String frameworkId) {
    State s = parts.state;
    if (!frameworkId.equals(s.frameworkId)) {
      parts.store.frameworkId(frameworkId);
      s.frameworkId = frameworkId;
    }
    parts.subscribed = true;
    parts.suppressed = false;
    // A master that just took over learns the tasks from agents as they register again: the
    // grace for instances it does not know yet starts anew with every subscription. Carried over,
    // a few quick leader changes would add up to the grace and every instance would be forgotten
    // (and its task killed when its agent returned).
    parts.unknown.clear();
    log.info("services framework {} subscribed to {}; reconciling {} instances", frameworkId,
        parts.client.subscribedTo(), s.instances.size());
    List<SchedulerCall.TaskRef> refs = new ArrayList<>();
    for (Instance i : s.instances.values()) {
      parts.reconciling.add(i.taskId());
      refs.add(new SchedulerCall.TaskRef(i.taskId(), i.agentId()));
    }
    try {
      if (!refs.isEmpty()) {
        parts.client.reconcile(refs);
      }
      parts.client.reconcile(List.of());
    } catch (RuntimeException e) {
      log.warn("reconciliation request failed: {}", e.getMessage());
    }
    parts.loop.schedule(RECONCILE_TIMEOUT, () -> {
      if (!parts.reconciling.isEmpty()) {
        log.warn("{} instances unanswered after {} s of reconciliation; going on without them",
            parts.reconciling.size(), RECONCILE_TIMEOUT.toSeconds());
        parts.reconciling.clear();
        convergence.run();
      }
    });
    convergence.run();
  }
}
