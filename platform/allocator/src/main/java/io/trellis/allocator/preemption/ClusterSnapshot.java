package io.trellis.allocator.preemption;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.util.List;
import java.util.Map;

/**
 * What the preemption planner decides from: the cluster's size, each role's settings and
 * allocation, each agent's free resources, the work that waits and the tasks that run.
 *
 * @param total scalar totals of the cluster (the base of dominant shares)
 * @param roles settings and allocation of every role with tasks or waiting work; a role missing
 *     here has no guarantee, weight 1, is preemptible and holds nothing. A role's allocation
 *     counts what is being freed for it and not what its tasks being killed hold
 * @param free free unreserved resources per agent that may take new work
 * @param waiting needs the allocator cannot place: no agent's free resources fit them
 * @param tasks running tasks (candidates to be preempted); tasks already being killed are not here
 */
public record ClusterSnapshot(Resources total, Map<String, RoleState> roles, Map<AgentId, Resources> free,
    List<Waiting> waiting, List<RunningTask> tasks) {
  public ClusterSnapshot {
    roles = Map.copyOf(roles);
    free = Map.copyOf(free);
    waiting = List.copyOf(waiting);
    tasks = List.copyOf(tasks);
  }

  /**
   * A role's settings and what it holds now (offered or in use).
   *
   * @param preemptible false: none of the role's tasks is ever a victim
   */
  public record RoleState(String name, Resources guarantee, double weight, boolean preemptible,
      Resources allocated) {}

  /** A framework's smallest usable offer under a role, which fits no agent's free resources. */
  public record Waiting(FrameworkId framework, String role, Resources need) {}

  /**
   * A running task.
   *
   * @param priority higher is more important; victims are taken lowest first
   * @param preemptible false: never a victim
   * @param startedMillis when it was launched; among equal priorities the most recent goes first
   */
  public record RunningTask(String taskId, FrameworkId framework, String role, AgentId agent,
      Resources resources, int priority, boolean preemptible, long startedMillis) {}
}
