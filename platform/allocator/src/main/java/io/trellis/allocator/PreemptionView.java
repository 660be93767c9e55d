package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.preemption.ClusterSnapshot;
import io.trellis.core.id.AgentId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What preemption reads from the allocator (waiting needs, free resources, role allocations) and
 * the one thing it changes: holds that keep freed resources for the role that preempted. Runs on
 * the allocator's event loop, like the allocator.
 */
public final class PreemptionView {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final PreemptionHolds holds;
  private final Runnable requestCycle;

  PreemptionView(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, PreemptionHolds holds,
      Runnable requestCycle) {
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.holds = holds;
    this.requestCycle = requestCycle;
  }

  /**
   * The minimum offers of active, unsuppressed frameworks that fit in no agent's free resources
   * (less what is held for other roles): the work that waits.
   */
  public List<ClusterSnapshot.Waiting> waiting() {
    List<ClusterSnapshot.Waiting> out = new ArrayList<>();
    long[] room = new long[STRIDE];
    for (Subscriptions.Framework f : subs.frameworks.values()) {
      for (Map.Entry<String, Integer> e : f.subs.entrySet()) {
        int s = e.getValue();
        long[] need = subs.need[s];
        if (need == null || !subs.eligible[s]) {
          continue;
        }
        boolean fits = false;
        for (int a = 0; a < agents.limit && !fits; a++) {
          if (agents.live[a] && !agents.maintenance[a]) {
            long[] held = holds.heldFromOthers(a, subs.role[s]);
            for (int k = 0; k < STRIDE; k++) {
              room[k] = agents.free[a * STRIDE + k] - held[k];
            }
            fits = covers(room, need);
          }
        }
        if (!fits) {
          out.add(new ClusterSnapshot.Waiting(f.id, e.getKey(), kinds.toResources(need, 0)));
        }
      }
    }
    return out;
  }

  private static boolean covers(long[] have, long[] need) {
    for (int k = 0; k < STRIDE; k++) {
      if (have[k] < need[k]) {
        return false;
      }
    }
    return true;
  }

  /** Free unreserved scalars of every agent that takes new work, less what is held on it. */
  public Map<AgentId, Resources> free() {
    Map<AgentId, Resources> out = new LinkedHashMap<>();
    long[] row = new long[STRIDE];
    for (int a = 0; a < agents.limit; a++) {
      if (agents.live[a] && !agents.maintenance[a]) {
        long[] held = holds.heldFromOthers(a, null);
        for (int k = 0; k < STRIDE; k++) {
          row[k] = Math.max(0, agents.free[a * STRIDE + k] - held[k]);
        }
        out.put(agents.ids[a], kinds.toResources(row, 0));
      }
    }
    return out;
  }

  /** Scalars held (offered or in use) by the role and the roles under it. */
  public Resources allocated(String role) {
    RoleNode node = roles.find(role);
    return node == null ? Resources.empty() : kinds.toResources(node.allocated, 0);
  }

  /**
   * Keeps {@code amount} of the agent's free resources, now and as it frees up, for {@code role}
   * until it is offered resources there or {@code until} passes.
   */
  public void hold(AgentId agent, String role, Resources amount, Instant until) {
    kinds.registerAll(amount);
    holds.add(agents.slot(agent), roles.getOrCreate(role), kinds.toArray(amount), until);
    requestCycle.run();
  }
}
