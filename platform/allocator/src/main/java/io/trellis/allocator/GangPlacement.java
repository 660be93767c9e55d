package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a gang's members go: whole members on free resources within the role's quota room and
 * outside other roles' guarantee headroom, honouring the gang's constraints; for the holder,
 * agents chosen for the members that do not fit yet; and whether a gang could ever fit at all.
 */
final class GangPlacement {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final Ledger ledger;

  GangPlacement(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Ledger ledger) {
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.ledger = ledger;
  }

  /**
   * The holder takes what has become free: first toward the members it already waits for on
   * chosen agents, then whole members wherever they fit, then it chooses agents for the members
   * still missing up to {@code minMember} (those with the most of a member free) and holds what is
   * free there, so resources freed on them go to the gang and not back to a stream of small
   * requests.
   */
  void grow(GangEntry e) {
    long[] budget = budget(e);
    for (Map.Entry<Integer, long[]> p : new ArrayList<>(e.partial.entrySet())) {
      int a = p.getKey();
      if (topUp(e, a, p.getValue(), budget)) {
        e.partial.remove(a);
        e.held.merge(a, 1, Integer::sum);
      }
    }
    place(e, e.demand.count() - e.heldCount(), true);
    int min = e.demand.gang().minMember();
    while (!e.partial.isEmpty() && e.heldCount() + e.partial.size() > min) {
      // Whole members found room elsewhere: the agent waited on with least held is not needed.
      int least = e.partial.keySet().stream()
          .min(Comparator.comparingDouble(a -> filled(e.member, e.partial.get(a)))).orElseThrow();
      ledger.unhold(e.sub, least, kinds.toResources(e.partial.remove(least), 0));
    }
    int missing = min - e.heldCount() - e.partial.size();
    if (missing <= 0) {
      return;
    }
    budget = budget(e);
    Placement p = placement(e, budget);
    List<Integer> candidates = new ArrayList<>();
    for (int a = 0; a < agents.limit; a++) {
      if (agents.live[a] && !agents.maintenance[a] && !e.held.containsKey(a) && !e.partial.containsKey(a)
          && covers(agents.totalScalars, a * STRIDE, e.member)) {
        candidates.add(a);
      }
    }
    candidates.sort(Comparator.comparingDouble((Integer a) -> -closeness(e.member, a)));
    for (int a : candidates) {
      if (missing == 0) {
        break;
      }
      if (p.allowed(a)) {
        p.count(a, 1);
        long[] got = new long[STRIDE];
        e.partial.put(a, got);
        if (topUp(e, a, got, budget)) {
          e.partial.remove(a);
          e.held.merge(a, 1, Integer::sum);
        }
        missing--;
      }
    }
  }

  /** Holds what is free on the agent toward one member; returns whether the member is complete. */
  private boolean topUp(GangEntry e, int a, long[] got, long[] budget) {
    long[] take = new long[STRIDE];
    boolean any = false;
    boolean complete = true;
    for (int k = 0; k < STRIDE; k++) {
      long want = e.member[k] - got[k];
      take[k] = Math.max(0, Math.min(want, Math.min(agents.free[a * STRIDE + k], budget[k])));
      any |= take[k] > 0;
      complete &= got[k] + take[k] >= e.member[k];
    }
    if (any) {
      ledger.hold(e.sub, a, kinds.toResources(take, 0));
      for (int k = 0; k < STRIDE; k++) {
        got[k] += take[k];
        budget[k] -= take[k];
      }
    }
    return complete;
  }

  /** How much of a member {@code got} holds, from 0 to 1. */
  private static double filled(long[] member, long[] got) {
    double worst = 1;
    for (int k = 0; k < STRIDE; k++) {
      if (member[k] > 0) {
        worst = Math.min(worst, (double) got[k] / member[k]);
      }
    }
    return worst;
  }

  /** How much of a member the agent has free, from 0 (nothing of some kind) to 1 (all). */
  private double closeness(long[] member, int a) {
    double worst = 1;
    for (int k = 0; k < STRIDE; k++) {
      if (member[k] > 0) {
        worst = Math.min(worst, Math.min(1.0, (double) agents.free[a * STRIDE + k] / member[k]));
      }
    }
    return worst;
  }

  private static boolean covers(long[] rows, int base, long[] member) {
    for (int k = 0; k < STRIDE; k++) {
      if (rows[base + k] < member[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Places up to {@code want} more members of the gang on free resources, within its role's
   * quota limit and outside the headroom other roles' guarantees need, honouring its
   * constraints against the members it already holds. With {@code commit}, the members are held;
   * otherwise nothing changes. Returns how many members are placed (with those already held).
   */
  int place(GangEntry e, int want, boolean commit) {
    Placement p = placement(e, budget(e));
    int placed = 0;
    for (int a = 0; a < agents.limit && placed < want; a++) {
      if (!agents.live[a] || agents.maintenance[a]) {
        continue;
      }
      int n = p.fill(a, agents.free, a * STRIDE, want - placed);
      placed += n;
      if (commit && n > 0) {
        ledger.hold(e.sub, a, times(e.member, n));
        e.held.merge(a, n, Integer::sum);
      }
    }
    return e.heldCount() + (commit ? 0 : placed);
  }

  /** What the gang may still take per kind: its role's quota room, outside others' guarantee headroom. */
  private long[] budget(GangEntry e) {
    RoleNode role = subs.role[e.sub];
    long[] budget = new long[STRIDE];
    for (int k = 0; k < STRIDE; k++) {
      long otherHeadroom = Math.max(0, roles.headroom[k] - role.unsatisfied(k));
      budget[k] = Math.min(role.limitRoom(k), ledger.unreservedFree[k] - otherHeadroom);
    }
    return budget;
  }

  /** A placement that counts the members the gang holds and the agents it waits on. */
  private Placement placement(GangEntry e, long[] budget) {
    Placement p = new Placement(e, budget);
    e.held.forEach(p::count);
    e.partial.keySet().forEach(a -> p.count(a, 1));
    return p;
  }

  /** Members placed so far against one gang's constraints and a budget per kind. */
  private final class Placement {
    private final GangEntry e;
    private final long[] budget;
    private final List<Map<String, Integer>> perValue = new ArrayList<>();

    Placement(GangEntry e, long[] budget) {
      this.e = e;
      this.budget = budget;
      for (int i = 0; i < e.demand.constraints().size(); i++) {
        perValue.add(new HashMap<>());
      }
    }

    void count(int a, int n) {
      List<MemberConstraint> cs = e.demand.constraints();
      for (int i = 0; i < cs.size(); i++) {
        String v = cs.get(i).valueOf(agents.hostnames[a], agents.attributes[a]);
        if (v != null) {
          perValue.get(i).merge(v, n, Integer::sum);
        }
      }
    }

    /** Places up to {@code want} members on agent {@code a} given its row in {@code rows}. */
    int fill(int a, long[] rows, int base, int want) {
      long n = Math.min(want, room(a));
      for (int k = 0; k < STRIDE && n > 0; k++) {
        if (e.member[k] > 0) {
          n = Math.min(n, Math.min(rows[base + k], budget[k]) / e.member[k]);
        }
      }
      if (n <= 0) {
        return 0;
      }
      for (int k = 0; k < STRIDE; k++) {
        budget[k] -= e.member[k] * n;
      }
      count(a, (int) n);
      return (int) n;
    }

    boolean allowed(int a) {
      return room(a) > 0;
    }

    /** How many more members the constraints let the agent take. */
    private long room(int a) {
      long room = Long.MAX_VALUE;
      List<MemberConstraint> cs = e.demand.constraints();
      for (int i = 0; i < cs.size() && room > 0; i++) {
        String v = cs.get(i).valueOf(agents.hostnames[a], agents.attributes[a]);
        room = Math.min(room, cs.get(i).room(v, v == null ? 0 : perValue.get(i).getOrDefault(v, 0)));
      }
      return room;
    }
  }

  /**
   * Why a gang of {@code minMember} members could never be offered: more than the role's quota
   * limit, or more than the registered agents' totals hold under its constraints. Null when it
   * could (or when no agent is registered yet).
   */
  String refusal(String roleName, Resources member, int minMember, List<MemberConstraint> constraints) {
    kinds.registerAll(member);
    long[] m = kinds.toArray(member.scalars());
    RoleNode role = roles.find(roleName);
    if (role != null) {
      for (int k = 0; k < kinds.count(); k++) {
        for (RoleNode n = role; n != null && n.limitedChain; n = n.parent) {
          if (n.limit != null && n.limit[k] != Long.MAX_VALUE && m[k] > 0 && m[k] * minMember > n.limit[k]) {
            return "the quota limit of role " + n.name + " allows " + fmt(n.limit[k], k) + ", less than "
                + minMember + " members of " + member + " need";
          }
        }
      }
    }
    if (agents.count == 0) {
      return null;
    }
    long[] budget = new long[STRIDE];
    Arrays.fill(budget, Long.MAX_VALUE / 2);
    GangEntry probe = new GangEntry(null, new Demand("probe", roleName, member, minMember, constraints, null), -1, -1,
        Instant.EPOCH, m);
    Placement p = new Placement(probe, budget);
    int placed = 0;
    int usable = 0;
    for (int a = 0; a < agents.limit && placed < minMember; a++) {
      if (agents.live[a] && !agents.maintenance[a]) {
        usable++;
        placed += p.fill(a, agents.totalScalars, a * STRIDE, minMember - placed);
      }
    }
    if (placed >= minMember) {
      return null;
    }
    return "the cluster's " + usable + " agents hold at most " + placed + " members of " + member
        + (constraints.isEmpty() ? "" : " under constraints " + constraints) + " even when idle; the gang needs "
        + minMember;
  }

  private String fmt(long millis, int k) {
    long[] one = new long[STRIDE];
    one[k] = millis;
    return kinds.toResources(one, 0).toString();
  }

  Resources times(long[] member, int n) {
    long[] out = new long[STRIDE];
    for (int k = 0; k < STRIDE; k++) {
      out[k] = member[k] * n;
    }
    return kinds.toResources(out, 0);
  }
}
