package io.trellis.allocator;

import io.trellis.allocator.preemption.ClusterSnapshot;
import io.trellis.allocator.preemption.ClusterSnapshot.RoleState;
import io.trellis.allocator.preemption.ClusterSnapshot.RunningTask;
import io.trellis.allocator.preemption.Preemption;
import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.allocator.preemption.PreemptionPlanner;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Does what the master does with the planner, on a {@link TestCluster}: builds the snapshot from
 * the allocator and the simulated frameworks' tasks, plans, holds each victim's agent for the
 * preemptor and kills victims by releasing their resources.
 */
final class PreemptionDriver {
  static final Duration HOLD = Duration.ofSeconds(45);
  private final TestCluster cluster;
  private final PreemptionPlanner planner;
  private final Map<String, RoleState> roles = new LinkedHashMap<>();
  private final List<SimFramework> sims = new ArrayList<>();
  /** Victims planned and not yet killed, by task id. */
  private final Map<String, Victim> dying = new LinkedHashMap<>();
  int preempted;

  private record Victim(SimFramework sim, SimFramework.Task task) {}

  PreemptionDriver(TestCluster cluster, PreemptionMode mode) {
    this.cluster = cluster;
    this.planner = new PreemptionPlanner(mode);
  }

  PreemptionDriver role(String name, String guarantee, double weight) {
    roles.put(name, new RoleState(name, Resources.parse(guarantee), weight, true, Resources.empty()));
    cluster.allocator.setWeight(name, weight);
    cluster.allocator.setQuota(name, Quota.of(guarantee, ""));
    return this;
  }

  PreemptionDriver sim(SimFramework sim) {
    sims.add(sim);
    return this;
  }

  /** Plans once; victims are held for killing until {@link #killOne} or {@link #killAll}. */
  List<Preemption> plan() {
    PreemptionView view = cluster.allocator.preemption();
    Map<String, RoleState> now = new HashMap<>();
    for (SimFramework s : sims) {
      RoleState r = roles.getOrDefault(s.role, new RoleState(s.role, Resources.empty(), 1, true, Resources.empty()));
      now.put(s.role, new RoleState(r.name(), r.guarantee(), r.weight(), r.preemptible(), view.allocated(s.role)));
    }
    Map<String, Victim> byId = new HashMap<>();
    List<RunningTask> tasks = new ArrayList<>();
    for (SimFramework s : sims) {
      for (int i = 0; i < s.running.size(); i++) {
        SimFramework.Task t = s.running.get(i);
        String id = s.id.value() + "#" + System.identityHashCode(t);
        if (!dying.containsKey(id)) {
          byId.put(id, new Victim(s, t));
          tasks.add(new RunningTask(id, s.id, s.role, t.agent(), t.resources(), 0, true, i));
        }
      }
    }
    List<Preemption> plan = planner.plan(new ClusterSnapshot(cluster.allocator.clusterTotal(), now, view.free(),
        view.waiting(), tasks));
    for (Preemption p : plan) {
      view.hold(p.agent(), p.role(), p.need(), cluster.time.instant().plus(HOLD));
      p.victims().forEach(v -> dying.put(v.taskId(), byId.get(v.taskId())));
      preempted += p.victims().size();
    }
    return plan;
  }

  boolean killOne() {
    if (dying.isEmpty()) {
      return false;
    }
    String id = dying.keySet().iterator().next();
    Victim v = dying.remove(id);
    v.sim().running.remove(v.task());
    cluster.allocator.release(v.sim().id, v.sim().role, v.task().agent(), v.task().resources());
    return true;
  }

  void killAll() {
    while (killOne()) {
      // every victim
    }
  }

  /** Plans and kills until a plan is empty, letting the frameworks answer offers in between. */
  void runUntilQuiet(SimFramework... answering) {
    for (int round = 0; round < 100; round++) {
      cluster.runUntilQuiet(answering);
      if (plan().isEmpty()) {
        return;
      }
      killAll();
    }
    throw new AssertionError("still preempting after 100 rounds");
  }
}
