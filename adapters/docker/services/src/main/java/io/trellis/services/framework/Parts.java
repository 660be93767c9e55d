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
  SchedulerClient client;
  boolean subscribed;
  /** Until reconciliation answers for every stored instance, nothing is launched or killed. */
  final java.util.Set<String> reconciling = new java.util.HashSet<>();
  boolean suppressed;

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
