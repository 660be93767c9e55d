package io.trellis.allocator.preemption;

import io.trellis.allocator.preemption.ClusterSnapshot.RoleState;
import io.trellis.allocator.preemption.ClusterSnapshot.RunningTask;
import io.trellis.allocator.preemption.ClusterSnapshot.Waiting;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds planner input by hand: agents of a size, tasks on them (each one counted in its role's
 * allocation and taken from its agent's free resources), role settings and waiting needs.
 */
final class Snapshots {
  private final Map<AgentId, Resources> free = new LinkedHashMap<>();
  private Resources total = Resources.empty();
  private final Map<String, RoleState> roles = new LinkedHashMap<>();
  private final List<RunningTask> tasks = new ArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();
  private long clock;

  static Resources res(String text) {
    return Resources.parse(text);
  }

  Snapshots agent(String id, String size) {
    free.put(AgentId.of(id), res(size));
    total = total.plus(res(size));
    return this;
  }

  Snapshots role(String name, String guarantee, double weight, boolean preemptible) {
    RoleState old = role(name);
    roles.put(name, new RoleState(name, res(guarantee), weight, preemptible, old.allocated()));
    return this;
  }

  private RoleState role(String name) {
    return roles.getOrDefault(name, new RoleState(name, Resources.empty(), 1.0, true, Resources.empty()));
  }

  /** A task started after every earlier one. */
  Snapshots task(String id, String role, String agent, String size, int priority, boolean preemptible) {
    AgentId a = AgentId.of(agent);
    free.put(a, free.get(a).minus(res(size)));
    RoleState r = role(role);
    roles.put(role, new RoleState(role, r.guarantee(), r.weight(), r.preemptible(), r.allocated().plus(res(size))));
    tasks.add(new RunningTask(id, FrameworkId.of("fw-" + role), role, a, res(size), priority, preemptible, ++clock));
    return this;
  }

  Snapshots task(String id, String role, String agent, String size) {
    return task(id, role, agent, size, 0, true);
  }

  Snapshots waiting(String role, String need) {
    waiting.add(new Waiting(FrameworkId.of("fw-" + role), role, res(need)));
    return this;
  }

  ClusterSnapshot build() {
    return new ClusterSnapshot(total, roles, free, waiting, tasks);
  }

  static List<String> victimIds(List<Preemption> plan) {
    List<String> ids = new ArrayList<>();
    plan.forEach(p -> p.victims().forEach(v -> ids.add(v.taskId())));
    return ids;
  }
}
