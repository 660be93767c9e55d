package io.trellis.services.framework;

import io.trellis.client.SchedulerClient;
import io.trellis.services.event.EventBus;
import io.trellis.services.store.ServiceStore;
import java.time.Clock;

/** What the framework's loop-side parts share; touched only on the event loop. */
final class Parts {
  final State state = new State();
  final ServiceStore store;
  final Clock clock;
  final EventBus bus;
  final EventLoop loop;
  final String role;
  /** Calls to the master that need no answer on the loop (accepts, acknowledgements), in parallel. */
  final java.util.concurrent.ExecutorService calls = java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "services-calls");
    t.setDaemon(true);
    return t;
  });
  SchedulerClient client;
  boolean subscribed;
  /** Until reconciliation answers for every stored instance, nothing is launched or killed. */
  final java.util.Set<String> reconciling = new java.util.HashSet<>();
  boolean suppressed;

  /**
   * Instances the master said it does not know, since when. A master that just took over may not
   * have heard from their agent yet: they keep counting until {@link #UNKNOWN_GRACE} has passed.
   */
  final java.util.Map<String, java.time.Instant> unknown = new java.util.HashMap<>();
  static final java.time.Duration UNKNOWN_GRACE = java.time.Duration.ofSeconds(30);
  /** Offers were declined for a long time: revive before launching again. */
  boolean declinedIdle;

  /** Marks an instance as being killed by the framework, durably, and asks the master to kill it. */
  void kill(io.trellis.services.instance.Instance i) {
    io.trellis.services.instance.Instance k = i.killing();
    state.instances.put(i.taskId(), k);
    SchedulerClient c = client;
    // The decision is stored, then the kill sent, off the loop: a thousand kills do not stall it.
    calls.execute(() -> {
      try {
        store.updateInstance(k);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Parts.class).warn("cannot store the kill of {}: {}", i.taskId(), e.getMessage());
      }
      if (i.agentId() != null && c != null) {
        try {
          c.kill(i.taskId(), i.agentId());
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(Parts.class).warn("cannot kill {}: {}", i.taskId(), e.getMessage());
        }
      }
    });
  }

  /** Forgets an ended instance in the store, off the loop (a restart would reconcile it away anyway). */
  void forget(String taskId) {
    calls.execute(() -> {
      try {
        store.deleteInstance(taskId);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Parts.class).warn("cannot remove instance {}: {}", taskId, e.getMessage());
      }
    });
  }

  Parts(ServiceStore store, Clock clock, EventBus bus, EventLoop loop, String role) {
    this.store = store;
    this.clock = clock;
    this.bus = bus;
    this.loop = loop;
    this.role = role;
  }

  String now() {
    return clock.instant().toString();
  }
}
