package io.trellis.services.framework;

import io.trellis.client.OperatorClient;
import io.trellis.client.SchedulerClient;
import io.trellis.services.event.EventBus;
import io.trellis.services.instance.Instance;
import io.trellis.services.store.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the framework's loop-side parts share; touched only on the event loop. */
final class Parts {
  private static final Logger log = LoggerFactory.getLogger(Parts.class);
  /**
   * How long an instance the master says it does not know keeps counting. A master that just
   * took over may not have heard from the instance's agent yet.
   */
  static final Duration UNKNOWN_GRACE = Duration.ofSeconds(30);

  final State state = new State();
  final ServiceStore store;
  final Clock clock;
  final EventBus bus;
  final EventLoop loop;
  final String role;
  /** The master's operator API: where an agent is, to read a failed task's stderr. */
  final OperatorClient operator;
  /** Calls to the master that need no answer on the loop (accepts, kills), in parallel. */
  final ExecutorService calls = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "services-calls");
    t.setDaemon(true);
    return t;
  });
  /** Set by start() and by the first subscription, whichever comes first: the same client. */
  volatile SchedulerClient client;
  boolean subscribed;
  /** Until reconciliation answers for every stored instance, nothing is launched or killed. */
  final Set<String> reconciling = new HashSet<>();
  boolean suppressed;
  /** What the apps wait for, as told to the master (set by the convergence). */
  Demands demands;
  /** Offers were declined for a long time: revive before launching again. */
  boolean declinedIdle;
  /**
   * What the apps were waiting for when offers were declined for a long time because none
   * could use them (a constraint, a port): offers are revived only once that changes.
   */
  Map<String, String> declinedWaiting;
  /** Instances on an unreachable agent, since when (their app's unreachable strategy decides). */
  final Map<String, Instant> unreachableSince = new HashMap<>();
  /** Apps the framework failed to handle, with the problem last reported (logged once each). */
  final Map<String, String> problems = new HashMap<>();
  /** Apps whose last failed task's stderr is being read from its agent. */
  final Set<String> readingStderr = new HashSet<>();
  /** Instances the master said it does not know, since when. */
  final Map<String, Instant> unknown = new HashMap<>();

  Parts(ServiceStore store, Clock clock, EventBus bus, EventLoop loop, String role, OperatorClient operator) {
    this.operator = operator;
    this.store = store;
    this.clock = clock;
    this.bus = bus;
    this.loop = loop;
    this.role = role;
  }

  /** What the apps wait for: each waiting app's version and the instances it still needs. */
  Map<String, String> waiting() {
    Map<String, String> out = new java.util.TreeMap<>();
    state.toLaunch.forEach((app, n) -> {
      if (n > 0 && state.apps.containsKey(app)) {
        out.put(app, state.apps.get(app).version() + " x" + n);
      }
    });
    return out;
  }

  String now() {
    return clock.instant().toString();
  }

  /** Marks an instance as being killed by the framework, durably, and asks the master to kill it. */
  void kill(Instance i) {
    Instance k = i.killing();
    state.instances.put(i.taskId(), k);
    SchedulerClient c = client;
    // The decision is stored, then the kill sent, off the loop: a thousand kills do not stall it.
    calls.execute(() -> {
      try {
        store.updateInstance(k);
      } catch (RuntimeException e) {
        log.warn("cannot store the kill of {}: {}", i.taskId(), e.getMessage());
      }
      if (i.agentId() != null && c != null) {
        try {
          c.kill(i.taskId(), i.agentId());
        } catch (RuntimeException e) {
          log.warn("cannot kill {}: {}", i.taskId(), e.getMessage());
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
        log.warn("cannot remove instance {}: {}", taskId, e.getMessage());
      }
    });
  }
}
