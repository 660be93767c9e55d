package io.trellis.simulate;

import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.PreemptionView;
import io.trellis.allocator.preemption.ClusterSnapshot;
import io.trellis.allocator.preemption.ClusterSnapshot.RoleState;
import io.trellis.allocator.preemption.ClusterSnapshot.RunningTask;
import io.trellis.allocator.preemption.Preemption;
import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.allocator.preemption.PreemptionPlanner;
import io.trellis.core.id.AgentId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Preemption as the master plans it, with the allocator's own {@link PreemptionPlanner}: while
 * work waits, every interval the planner picks victims for roles below their guarantee (or fair
 * share); the freed resources are held for the role that preempted. Victims stop at once (no
 * grace period) and go back to waiting.
 */
final class Preempter {
  private static final long HOLD_MILLIS = 15_000;
  private final PreemptionPlanner planner;
  private final HierarchicalAllocator allocator;
  private final Map<String, RoleSpec> specs;
  private final Replay replay;

  Preempter(PreemptionMode mode, HierarchicalAllocator allocator, Map<String, RoleSpec> specs, Replay replay) {
    this.planner = new PreemptionPlanner(mode);
    this.allocator = allocator;
    this.specs = specs;
    this.replay = replay;
  }

  void run() {
    PreemptionView view = allocator.preemption();
    List<ClusterSnapshot.Waiting> waiting = view.waiting();
    if (waiting.isEmpty()) {
      return;
    }
    Map<String, RoleState> roles = new HashMap<>();
    List<RunningTask> tasks = new ArrayList<>();
    for (Replay.Running r : replay.running.values()) {
      TaskGroup g = r.from().group;
      role(roles, view, g.role());
      tasks.add(new RunningTask(r.id(), r.framework().id, g.role(), AgentId.of(r.agent()), g.shape(), g.priority(),
          true, r.startMillis()));
    }
    waiting.forEach(w -> role(roles, view, w.role()));
    ClusterSnapshot snapshot = new ClusterSnapshot(allocator.clusterTotal(), roles, view.free(), waiting, tasks);
    Instant until = Replay.START.plusMillis(replay.now() + HOLD_MILLIS);
    for (Preemption p : planner.plan(snapshot)) {
      view.hold(p.agent(), p.role(), p.need(), until);
      p.victims().forEach(v -> replay.preempt(v.taskId()));
    }
  }

  private void role(Map<String, RoleState> roles, PreemptionView view, String name) {
    roles.computeIfAbsent(name, n -> {
      RoleSpec s = specs.get(n);
      return new RoleState(n, s == null ? Resources.empty() : s.quota().guarantee(), s == null ? 1.0 : s.weight(),
          true, view.allocated(n));
    });
  }
}
