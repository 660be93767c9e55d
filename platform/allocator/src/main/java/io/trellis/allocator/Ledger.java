package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;

/**
 * Where every resource is: free on its agent, or held (offered or in use) by a subscription,
 * with the cluster-wide sums the allocator needs. Every change keeps the agent rows, the sums,
 * the role sorters and the filters in step.
 */
final class Ledger {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final Filters filters;
  /** Scalar totals of every agent, every role. */
  final long[] clusterTotal = new long[STRIDE];
  /** Free unreserved scalars on agents not under maintenance. */
  final long[] unreservedFree = new long[STRIDE];
  /** Whether the totals changed since the sorters last saw them. */
  boolean totalsDirty = true;
  /** Scratch rows, so moving resources allocates nothing for their scalars. */
  private final long[] charged = new long[STRIDE];
  private final long[] moved = new long[STRIDE];

  Ledger(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Filters filters) {
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.filters = filters;
  }

  /** Sets an agent's total; all of it is free. */
  void setTotal(int a, Resources total) {
    agents.total[a] = total;
    kinds.toArray(total, false, agents.totalScalars, a * STRIDE);
    kinds.toArray(total, true, agents.free, a * STRIDE);
    agents.freeRanges[a] = total.filter(r -> !r.isScalar() && !r.isReserved());
    Resources reserved = total.reserved();
    agents.freeReserved[a] = reserved.isEmpty() ? null : reserved;
    addRow(clusterTotal, agents.totalScalars, a, 1);
    if (!agents.maintenance[a]) {
      addRow(unreservedFree, agents.free, a, 1);
    }
    totalsDirty = true;
  }

  /** Takes an agent's resources out of the sums (before a new total or its removal). */
  void dropTotal(int a) {
    addRow(clusterTotal, agents.totalScalars, a, -1);
    if (!agents.maintenance[a]) {
      addRow(unreservedFree, agents.free, a, -1);
    }
    totalsDirty = true;
  }

  /** An agent enters ({@code sign} -1) or leaves (+1) maintenance: its free resources leave or rejoin the sums. */
  void maintenance(int a, int sign) {
    addRow(unreservedFree, agents.free, a, sign);
  }

  /** Takes resources out of the agent's free ones without charging anybody (held before a new total). */
  void holdBack(int a, Resources r) {
    moveFree(a, r, -1);
  }

  /** Marks resources of the agent as used by the subscription (reported at registration). */
  void take(int s, int a, Resources r) {
    moveFree(a, r, -1);
    use(s, a, r);
    roles.charge(subs.role[s], subs.client[s], scalars(r), true);
  }

  /** Resources of an offer the subscription accepted are now in use; they stay charged to it. */
  void use(int s, int a, Resources r) {
    agents.inUse[a].add(s, r);
  }

  /** Resources of an offer that is declined, rescinded or timed out become free again. */
  void giveBack(int s, int a, Resources r) {
    moveFree(a, r, 1);
    roles.charge(subs.role[s], subs.client[s], scalars(r), false);
    filters.freeGrew(a, agents.free, a * STRIDE);
  }

  /** Resources the subscription uses on the agent become free again. */
  void release(int s, int a, Resources r) {
    Resources used = agents.inUse[a].get(s);
    if (used == null || !used.contains(r)) {
      throw new IllegalArgumentException("framework " + subs.framework[s].id + " uses "
          + (used == null ? "nothing" : used) + " under role " + subs.role[s].name + " on agent "
          + agents.ids[a] + ", cannot release " + r);
    }
    agents.inUse[a].set(s, used.minus(r));
    giveBack(s, a, r);
  }

  /**
   * Holds unreserved scalars of the agent for a gang of the subscription: they leave the free
   * resources and count toward the role's share and quota, but belong to no offer yet.
   */
  void hold(int s, int a, Resources r) {
    moveFree(a, r, -1);
    roles.charge(subs.role[s], subs.client[s], scalars(r), true);
  }

  /** A gang's hold on the agent ends: the resources are free again. */
  void unhold(int s, int a, Resources r) {
    moveFree(a, r, 1);
    roles.charge(subs.role[s], subs.client[s], scalars(r), false);
    filters.freeGrew(a, agents.free, a * STRIDE);
  }

  /** Adds ({@code sign} 1) or removes (-1) {@code r} to or from the agent's free resources. */
  private void moveFree(int a, Resources r, int sign) {
    kinds.toArray(r, true, moved, 0);
    for (int k = 0; k < STRIDE; k++) {
      agents.free[a * STRIDE + k] += sign * moved[k];
      if (!agents.maintenance[a]) {
        unreservedFree[k] += sign * moved[k];
      }
    }
    int ranges = 0;
    int reserved = 0;
    for (int i = 0, n = r.size(); i < n; i++) {
      Resource e = r.get(i);
      if (e.isReserved()) {
        reserved++;
      } else if (!e.isScalar()) {
        ranges++;
      }
    }
    if (ranges > 0) {
      Resources moving = ranges == r.size() ? r : r.filter(e -> !e.isScalar() && !e.isReserved());
      agents.freeRanges[a] = sign > 0 ? agents.freeRanges[a].plus(moving) : agents.freeRanges[a].minus(moving);
    }
    if (reserved > 0) {
      Resources moving = r.reserved();
      Resources now = sign > 0
          ? (agents.freeReserved[a] == null ? moving : agents.freeReserved[a].plus(moving))
          : agents.freeReserved[a].minus(moving);
      agents.freeReserved[a] = now.isEmpty() ? null : now;
    }
  }

  /** The scalars of {@code r} (every role) in a scratch row, valid until the next call. */
  private long[] scalars(Resources r) {
    kinds.toArray(r, false, charged, 0);
    return charged;
  }

  private static void addRow(long[] target, long[] rows, int a, int sign) {
    for (int k = 0; k < STRIDE; k++) {
      target[k] += sign * rows[a * STRIDE + k];
    }
  }
}
