package io.trellis.master;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.trellis.api.TaskState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The master's Prometheus metrics: allocation cycle time, offers, tasks by state, agents. */
public final class MasterMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter offers;
  private final Counter taskErrors;
  private final Counter agentsUnreachable;
  private final Timer cycle;
  private final Map<TaskState, AtomicLong> tasks = new EnumMap<>(TaskState.class);

  public MasterMetrics() {
    offers = Counter.builder("trellis_offers").description("offers made").register(registry);
    taskErrors = Counter.builder("trellis_task_errors").description("launches refused as invalid").register(registry);
    agentsUnreachable = Counter.builder("trellis_agents_marked_unreachable")
        .description("times an agent was found silent past the agent timeout").register(registry);
    cycle = Timer.builder("trellis_allocation_cycle").description("time of one allocation cycle")
        .publishPercentiles(0.5, 0.99).register(registry);
    for (TaskState s : TaskState.values()) {
      AtomicLong n = new AtomicLong();
      tasks.put(s, n);
      registry.gauge("trellis_tasks", io.micrometer.core.instrument.Tags.of("state", s.name()), n, AtomicLong::get);
    }
    for (io.trellis.allocator.DemandStatus.State s : io.trellis.allocator.DemandStatus.State.values()) {
      io.micrometer.core.instrument.Gauge.builder("trellis_gangs", () -> gangStates.getOrDefault(s.name(), 0))
          .description("gangs by state").tag("state", s.name()).strongReference(true).register(registry);
    }
  }

  /** Registers the agent gauges; the suppliers are read from the scrape thread. */
  public void agents(Supplier<Number> reachable, Supplier<Number> unreachable) {
    io.micrometer.core.instrument.Gauge.builder("trellis_agents", () -> reachable.get())
        .tag("state", "reachable").strongReference(true).register(registry);
    io.micrometer.core.instrument.Gauge.builder("trellis_agents", () -> unreachable.get())
        .tag("state", "unreachable").strongReference(true).register(registry);
  }

  /** Resources held by gangs, by role then resource name, and gangs by state: a snapshot. */
  private volatile Map<String, Map<String, Double>> gangHeld = Map.of();
  private volatile Map<String, Integer> gangStates = Map.of();
  private final java.util.Set<String> gangGauges = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Takes the allocator's gang figures (on the event loop); gauges read them when scraped. */
  void gangs(Map<String, io.trellis.core.resource.Resources> heldByRole,
      Map<io.trellis.allocator.DemandStatus.State, Integer> counts) {
    Map<String, Map<String, Double>> held = new java.util.HashMap<>();
    heldByRole.forEach((role, r) -> {
      Map<String, Double> byName = new java.util.HashMap<>();
      for (String name : r.names()) {
        byName.put(name, r.scalar(name));
      }
      held.put(role, byName);
    });
    // A role or resource seen once keeps its gauge, reading 0 once nothing is held.
    for (Map.Entry<String, Map<String, Double>> e : held.entrySet()) {
      for (String name : e.getValue().keySet()) {
        String role = e.getKey();
        if (gangGauges.add(role + "\u0000" + name)) {
          io.micrometer.core.instrument.Gauge.builder("trellis_gang_held",
              () -> gangHeld.getOrDefault(role, Map.of()).getOrDefault(name, 0.0))
              .description("resources held for incomplete gangs, offered to nobody else")
              .tags("role", role, "resource", name).strongReference(true).register(registry);
        }
      }
    }
    gangHeld = held;
    Map<String, Integer> states = new java.util.HashMap<>();
    counts.forEach((state, n) -> states.put(state.name(), n));
    gangStates = states;
  }

  void gangWait(String outcome, Duration waited) {
    Timer.builder("trellis_gang_wait").description("how long gangs waited, by how the wait ended")
        .tag("outcome", outcome).publishPercentiles(0.5, 0.99).register(registry).record(waited);
  }

  void offers(int n) {
    offers.increment(n);
  }

  /** A preemption decided for {@code role}. */
  void preemption(String role) {
    Counter.builder("trellis_preemptions").description("preemptions decided, by the role preempted for")
        .tag("role", role).register(registry).increment();
  }

  /** A task of {@code framework} under {@code role} was chosen as a preemption victim. */
  void preempted(String role, String framework) {
    Counter.builder("trellis_preempted_tasks").description("tasks preempted, by their role and framework")
        .tag("role", role).tag("framework", framework).register(registry).increment();
  }

  void agentUnreachable() {
    agentsUnreachable.increment();
  }

  /** How many times an agent was marked unreachable since this master started. */
  public long agentsMarkedUnreachable() {
    return (long) agentsUnreachable.count();
  }

  /** How many tasks are in {@code state} now, as the master's state machine counts them. */
  public long tasks(TaskState state) {
    return tasks.get(state).get();
  }

  void taskError() {
    taskErrors.increment();
  }

  void taskState(TaskState from, TaskState to) {
    if (from != null) {
      tasks.get(from).decrementAndGet();
    }
    tasks.get(to).incrementAndGet();
  }

  /** The loop's timer, timing every task the allocator schedules (its cycles). */
  io.trellis.core.time.Timer timedTimer(EventLoop loop) {
    return (delay, task) -> loop.schedule(delay, () -> cycle.record((Runnable) task));
  }

  public String scrape() {
    return registry.scrape();
  }

  Duration cycleMax() {
    return Duration.ofNanos((long) cycle.max(java.util.concurrent.TimeUnit.NANOSECONDS));
  }
}
