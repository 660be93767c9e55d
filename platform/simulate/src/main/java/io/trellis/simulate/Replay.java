package io.trellis.simulate;

import io.trellis.allocator.AllocatorConfig;
import io.trellis.allocator.DemandStatus;
import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.Offer;
import io.trellis.allocator.OfferListener;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.core.time.Timer;
import io.trellis.testkit.SimulatedTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a trace against the real {@link HierarchicalAllocator} on a {@link SimulatedTime}: the
 * frameworks of the trace subscribe with their roles, state their waiting tasks as demands and
 * answer offers the moment they are made; a task gives its resources back when its duration has
 * passed. Only simulated time passes between events, so a day of trace takes seconds. One thread
 * owns everything here.
 */
public final class Replay {
  /** Told now and then how far the replay is. */
  public interface Progress {
    void report(long simulatedMillis, long placed, long tasks);

    Progress NONE = (at, placed, tasks) -> {};
  }

  /** A task holding resources. */
  record Running(String id, SimFramework framework, SimFramework.Waiting from, String agent, long startMillis,
      Timer.Cancellable end) {}

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private final Trace trace;
  private final ClusterSpec cluster;
  private final Map<String, RoleSpec> roles;
  private final ReplaySettings settings;
  private final SimulatedTime time = new SimulatedTime(START);
  private final HierarchicalAllocator allocator;
  private final Map<FrameworkId, SimFramework> frameworks = new LinkedHashMap<>();
  final Map<String, Running> running = new LinkedHashMap<>();
  private final List<Placement> placements = new ArrayList<>();
  private final Sampler sampler;
  private final Map<String, Long> preempted = new LinkedHashMap<>();
  private long taskCounter;
  private int submitted;
  private long lastPlacement;

  public Replay(Trace trace, ClusterSpec cluster, Map<String, RoleSpec> roles, ReplaySettings settings) {
    this.trace = trace;
    this.cluster = cluster;
    this.roles = roles;
    this.settings = settings;
    this.allocator = new HierarchicalAllocator(AllocatorConfig.DEFAULTS, time, time, new Listener(), "sim-O");
    this.sampler = new Sampler(cluster, roles, trace);
  }

  /** Runs the whole trace and returns what happened. */
  public Outcome run(Progress progress) {
    setUp();
    long end = settings.maxTime().toMillis();
    long step = sampler.every();
    long wall = System.nanoTime();
    while (now() < end) {
      time.advance(Duration.ofMillis(Math.min(step, end - now())));
      sampler.sample(now(), running.values(), frameworks.values());
      if (System.nanoTime() - wall > 2_000_000_000L) {
        wall = System.nanoTime();
        progress.report(now(), placements.size(), trace.tasks());
      }
      if (submitted == trace.groups().size() && running.isEmpty()
          && (waitingTasks() == 0 || now() - lastPlacement >= settings.drain().toMillis())) {
        break;
      }
    }
    return new Outcome(List.copyOf(placements), sampler.samples(), neverPlaced(), Map.copyOf(preempted), now(),
        now() >= end);
  }

  private void setUp() {
    for (int i = 0; i < cluster.agents(); i++) {
      String name = String.format("agent-%05d", i + 1);
      allocator.addAgent(AgentId.of(name), name, cluster.agentResources(), Attributes.NONE, List.of());
    }
    // Roles in name order: the allocator breaks ties between equal roles by the order it met them.
    Set<String> named = new java.util.TreeSet<>();
    for (TaskGroup g : trace.groups()) {
      named.add(g.role());
    }
    named.addAll(roles.keySet());
    for (String role : named) {
      RoleSpec spec = roles.get(role);
      if (spec != null) {
        allocator.setWeight(role, spec.weight());
        allocator.setQuota(role, spec.quota());
      }
    }
    Map<String, Set<String>> rolesOf = new LinkedHashMap<>();
    for (TaskGroup g : trace.groups()) {
      rolesOf.computeIfAbsent(g.framework(), f -> new java.util.TreeSet<>()).add(g.role());
    }
    rolesOf.forEach((name, frameworkRoles) -> {
      FrameworkId id = FrameworkId.of(name);
      SimFramework f = new SimFramework(id, frameworkRoles, allocator, settings.refuse(), settings.gangTimeout());
      f.subscribe();
      frameworks.put(id, f);
    });
    List<TaskGroup> groups = trace.groups();
    for (int i = 0; i < groups.size(); i++) {
      TaskGroup g = groups.get(i);
      SimFramework f = frameworks.get(FrameworkId.of(g.framework()));
      SimFramework.Waiting w = new SimFramework.Waiting(i, g, g.submitMillis(), g.count(), g.gang() > 0);
      time.schedule(Duration.ofMillis(g.submitMillis()), () -> {
        submitted++;
        f.submit(w);
      });
    }
    if (settings.preemption() != io.trellis.allocator.preemption.PreemptionMode.OFF) {
      Preempter preempter = new Preempter(settings.preemption(), allocator, roles, this);
      everyInterval(preempter::run);
    }
  }

  private void everyInterval(Runnable task) {
    time.schedule(settings.preemptionInterval(), () -> {
      task.run();
      everyInterval(task);
    });
  }

  long now() {
    return time.millis() - START.toEpochMilli();
  }

  private long waitingTasks() {
    return frameworks.values().stream().mapToLong(SimFramework::waitingTasks).sum();
  }

  private void launch(SimFramework f, SimFramework.Waiting from, Offer offer, boolean gang) {
    String id = "t" + (++taskCounter);
    long at = now();
    Timer.Cancellable end = time.schedule(Duration.ofMillis(from.group.durationMillis()), () -> finish(id));
    running.put(id, new Running(id, f, from, offer.agentId().value(), at, end));
    placements.add(new Placement(at, f.id.value(), offer.role(), offer.agentId().value(), from.group.shape(),
        at - from.submitMillis, gang));
    lastPlacement = at;
  }

  private void finish(String id) {
    Running r = running.remove(id);
    if (r != null) {
      allocator.release(r.framework().id, r.from().group.role(), AgentId.of(r.agent()), r.from().group.shape());
    }
  }

  /** Stops a task for preemption; it is submitted again, keeping its first submit time. */
  void preempt(String id) {
    Running r = running.remove(id);
    if (r == null) {
      return;
    }
    r.end().cancel();
    allocator.release(r.framework().id, r.from().group.role(), AgentId.of(r.agent()), r.from().group.shape());
    preempted.merge(r.from().group.role(), 1L, Long::sum);
    r.framework().resubmit(r.from());
  }

  private List<Outcome.NeverPlaced> neverPlaced() {
    List<Outcome.NeverPlaced> out = new ArrayList<>();
    for (SimFramework f : frameworks.values()) {
      out.addAll(f.refused());
      for (SimFramework.Waiting w : f.waiting()) {
        if (w.remaining == 0) {
          continue;
        }
        TaskGroup g = w.group;
        String reason = null;
        if (!cluster.agentResources().contains(g.shape())) {
          reason = "no agent has " + g.shape();
        } else if (w.gang) {
          reason = allocator.gangRefusal(g.role(), g.shape(), g.gang(), List.of());
        }
        if (reason == null) {
          List<String> why = allocator.explain(f.id, g.role()).stream().map(Object::toString).toList();
          reason = why.isEmpty() ? "still waiting when the replay ended" : String.join("; ", why);
        }
        out.add(new Outcome.NeverPlaced(f.id.value(), g.role(), w.remaining, g.shape(), reason));
      }
    }
    return out;
  }

  private final class Listener implements OfferListener {
    @Override
    public void offered(List<Offer> offers) {
      // Frameworks answer as a separate event, once the allocation cycle is over, as through the master.
      time.schedule(Duration.ZERO, () -> {
        Map<FrameworkId, List<Offer>> byFramework = new LinkedHashMap<>();
        for (Offer o : offers) {
          byFramework.computeIfAbsent(o.frameworkId(), k -> new ArrayList<>()).add(o);
        }
        byFramework.forEach((id, mine) -> frameworks.get(id).answer(mine, Replay.this::launch));
      });
    }

    @Override
    public void rescinded(Offer offer, String reason) {}

    @Override
    public void gangChanged(DemandStatus status) {
      frameworks.get(status.framework()).gangChanged(status);
    }
  }

  HierarchicalAllocator allocator() {
    return allocator;
  }

  Resources total() {
    return cluster.total();
  }
}
