package io.trellis.storm.framework;

import io.trellis.storm.schedule.StormView;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The supervisors the framework runs and what Nimbus last said, and the decisions drawn from
 * them: how many more worker slots each topology wants, and which supervisors to stop (those of
 * topologies that are gone, those idle past the grace period while their topology has slots to
 * spare, and those that never registered). Owned by the framework's event thread.
 */
final class Fleet {
  private final Map<String, SupervisorTask> tasks = new LinkedHashMap<>();
  private final InstantSource clock;
  private final Duration idleGrace;
  private final Duration registerTimeout;
  private StormView view;

  Fleet(InstantSource clock, Duration idleGrace, Duration registerTimeout) {
    this.clock = clock;
    this.idleGrace = idleGrace;
    this.registerTimeout = registerTimeout;
  }

  void launched(String taskId, String agentId, String topologyId, int slots) {
    tasks.put(taskId, new SupervisorTask(taskId, agentId, topologyId, slots, clock.instant(), false, null, false));
  }

  /** A supervisor found running after a restart; it counts as registered until Nimbus says otherwise. */
  void adopted(String taskId, String agentId, String topologyId, int slots) {
    tasks.put(taskId, new SupervisorTask(taskId, agentId, topologyId, slots, clock.instant(), true, null, false));
  }

  Optional<SupervisorTask> ended(String taskId) {
    return Optional.ofNullable(tasks.remove(taskId));
  }

  Optional<SupervisorTask> get(String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  Collection<SupervisorTask> all() {
    return List.copyOf(tasks.values());
  }

  boolean hasView() {
    return view != null;
  }

  /** Topologies that want more slots than their supervisors (running or starting) have. */
  List<OfferPlanner.Need> needs() {
    List<OfferPlanner.Need> out = new ArrayList<>();
    if (view == null) {
      return out;
    }
    Map<String, Integer> have = slotsByTopology();
    for (StormView.Topology t : view.topologies()) {
      int missing = t.workers() - have.getOrDefault(t.id(), 0);
      if (missing > 0 && t.size() != null) {
        out.add(new OfferPlanner.Need(t.id(), t.name(), missing, t.size(), t.gang()));
      }
    }
    return out;
  }

  List<StormView.Topology> topologies() {
    return view == null ? List.of() : view.topologies();
  }

  /** Takes Nimbus' latest view; returns the supervisors to stop now. */
  List<SupervisorTask> view(StormView v) {
    view = v;
    Map<String, StormView.Supervisor> byTask = new HashMap<>();
    for (StormView.Supervisor s : v.supervisors()) {
      if (s.taskId() != null) {
        byTask.put(s.taskId(), s);
      }
    }
    Set<String> live = new HashSet<>();
    v.topologies().forEach(t -> live.add(t.id()));
    List<SupervisorTask> stop = new ArrayList<>();
    Instant now = clock.instant();
    for (SupervisorTask t : List.copyOf(tasks.values())) {
      StormView.Supervisor s = byTask.get(t.taskId());
      SupervisorTask u = t.withRegistered(t.registered() || s != null);
      if (!live.contains(t.topologyId()) && !t.killing()) {
        stop.add(u);
      } else if (s == null && !t.registered() && now.isAfter(t.launchedAt().plus(registerTimeout)) && !t.killing()) {
        stop.add(u);
      }
      u = s != null && s.workerTopologies().isEmpty() ? (u.idleSince() == null ? u.withIdleSince(now) : u) : u.withIdleSince(null);
      tasks.put(t.taskId(), u);
    }
    stop.forEach(this::markKilling);
    return stop;
  }

  /** Supervisors idle past the grace period whose topology can spare their slots; marked as stopping. */
  List<SupervisorTask> idleToStop() {
    List<SupervisorTask> stop = new ArrayList<>();
    if (view == null) {
      return stop;
    }
    Map<String, Integer> have = slotsByTopology();
    Instant now = clock.instant();
    for (StormView.Topology topo : view.topologies()) {
      for (SupervisorTask t : tasks.values()) {
        boolean spare = have.getOrDefault(topo.id(), 0) - t.slots() >= topo.workers();
        if (t.topologyId().equals(topo.id()) && !t.killing() && t.idleSince() != null && spare
            && !now.isBefore(t.idleSince().plus(idleGrace))) {
          stop.add(t);
          have.merge(topo.id(), -t.slots(), Integer::sum);
        }
      }
    }
    stop.forEach(this::markKilling);
    return stop;
  }

  /** Topologies with supervisors launched recently that Nimbus has not seen yet. */
  Set<String> coming() {
    Set<String> out = new HashSet<>();
    Instant now = clock.instant();
    for (SupervisorTask t : tasks.values()) {
      if (!t.registered() && !t.killing() && now.isBefore(t.launchedAt().plus(registerTimeout))) {
        out.add(t.topologyId());
      }
    }
    return out;
  }

  private void markKilling(SupervisorTask t) {
    tasks.computeIfPresent(t.taskId(), (k, v) -> v.asKilling());
  }

  private Map<String, Integer> slotsByTopology() {
    Map<String, Integer> have = new HashMap<>();
    for (SupervisorTask t : tasks.values()) {
      if (!t.killing()) {
        have.merge(t.topologyId(), t.slots(), Integer::sum);
      }
    }
    return have;
  }
}
