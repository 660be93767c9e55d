package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resources of an agent kept for the role that preempted tasks there: while victims are killed
 * and once they are gone, other roles are not offered the held amount, so what preemption frees
 * is not handed straight back to the victims' role. A hold ends when its role (or a role under
 * it) is offered resources on the agent, when it expires, or when the agent goes away.
 */
final class PreemptionHolds {
  private static final class Hold {
    final RoleNode role;
    final long[] amount;
    final Instant until;

    Hold(RoleNode role, long[] amount, Instant until) {
      this.role = role;
      this.amount = amount;
      this.until = until;
    }
  }

  private final Map<Integer, List<Hold>> byAgent = new HashMap<>();

  void add(int agent, RoleNode role, long[] amount, Instant until) {
    byAgent.computeIfAbsent(agent, a -> new ArrayList<>()).add(new Hold(role, amount, until));
  }

  boolean on(int agent) {
    return !byAgent.isEmpty() && byAgent.containsKey(agent);
  }

  /**
   * Lowers {@code offer} so that what the agent keeps free covers the holds of roles other than
   * {@code role} and its ancestors.
   */
  void limit(int agent, RoleNode role, long[] free, int base, long[] offer, int kindCount) {
    for (Hold h : byAgent.get(agent)) {
      if (!isSelfOrAncestor(h.role, role)) {
        for (int k = 0; k < kindCount; k++) {
          if (h.amount[k] > 0) {
            offer[k] = Math.max(0, Math.min(offer[k], free[base + k] - h.amount[k]));
          }
        }
      }
    }
  }

  private static boolean isSelfOrAncestor(RoleNode maybeAncestor, RoleNode role) {
    for (RoleNode n = role; n != null; n = n.parent) {
      if (n == maybeAncestor) {
        return true;
      }
    }
    return false;
  }

  /** The holds whose role received resources in the cycle's decisions are done. */
  void granted(AllocationCycle cycle, Subscriptions subs) {
    if (byAgent.isEmpty()) {
      return;
    }
    for (int i = 0; i < cycle.count; i++) {
      List<Hold> holds = byAgent.get(cycle.agent[i]);
      if (holds != null) {
        RoleNode got = subs.role[cycle.sub[i]];
        holds.removeIf(h -> isSelfOrAncestor(h.role, got));
        if (holds.isEmpty()) {
          byAgent.remove(cycle.agent[i]);
        }
      }
    }
  }

  void expire(Instant now) {
    for (Iterator<List<Hold>> it = byAgent.values().iterator(); it.hasNext(); ) {
      List<Hold> holds = it.next();
      holds.removeIf(h -> !h.until.isAfter(now));
      if (holds.isEmpty()) {
        it.remove();
      }
    }
  }

  void clearAgent(int agent) {
    byAgent.remove(agent);
  }

  Instant nextExpiry() {
    Instant next = null;
    for (List<Hold> holds : byAgent.values()) {
      for (Hold h : holds) {
        if (next == null || h.until.isBefore(next)) {
          next = h.until;
        }
      }
    }
    return next;
  }

  /** The amounts held on the agent for roles other than {@code role}, per kind. */
  long[] heldFromOthers(int agent, RoleNode role) {
    long[] out = new long[STRIDE];
    for (Hold h : byAgent.getOrDefault(agent, List.of())) {
      if (role == null || !isSelfOrAncestor(h.role, role)) {
        for (int k = 0; k < STRIDE; k++) {
          out[k] += h.amount[k];
        }
      }
    }
    return out;
  }
}
