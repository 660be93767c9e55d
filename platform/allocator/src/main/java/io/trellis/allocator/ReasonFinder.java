package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.Reason.Type;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains, for one subscription, why the allocator is not offering it anything. Runs on demand
 * (an API call), never inside the allocation loop, and walks the agents once.
 */
final class ReasonFinder {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final Filters filters;
  private final OutstandingOffers offers;
  private final long[] unreservedFree;

  ReasonFinder(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Filters filters,
      OutstandingOffers offers, long[] unreservedFree) {
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.filters = filters;
    this.offers = offers;
    this.unreservedFree = unreservedFree;
  }

  List<Reason> explain(int s, Instant now, Resources minAllocatable) {
    return explain(s, subs.need[s], false, minAllocatable);
  }

  /**
   * Why one more member of the shape {@code member} cannot be placed for the subscription's
   * gang. Refuse filters do not apply to gangs, and neither do the subscription's own offers.
   */
  List<Reason> explainMember(int s, long[] member, Resources minAllocatable) {
    return explain(s, member, true, minAllocatable);
  }

  private List<Reason> explain(int s, long[] need, boolean gang, Resources minAllocatable) {
    List<Reason> out = new ArrayList<>();
    Subscriptions.Framework f = subs.framework[s];
    RoleNode role = subs.role[s];
    String who = "framework " + f.id + " in role " + role.name;
    if (!f.active || f.recovered) {
      out.add(new Reason(Type.INACTIVE, who + " is not connected"));
      return out;
    }
    if (!f.roles.contains(role.name)) {
      out.add(new Reason(Type.INACTIVE, who + " only holds resources agents reported; it is not"
          + " subscribed to the role"));
      return out;
    }
    if (subs.suppressed[s]) {
      out.add(new Reason(Type.SUPPRESSED, who + " suppressed offers; revive to receive them again"));
      return out;
    }
    int n = kinds.count();
    if (limitBlocks(need, role, minAllocatable)) {
      addLimitReasons(role, out);
      return out;
    }
    int ownOffers = 0;
    int usable = 0;
    int large = 0;
    int freeBeforeLimit = 0;
    int withFree = 0;
    int unfiltered = 0;
    Instant earliest = null;
    long[] largest = new long[STRIDE];
    for (int a = 0; a < agents.limit; a++) {
      if (!agents.live[a] || agents.maintenance[a]) {
        continue;
      }
      usable++;
      if (!gang && offers.any(s, a)) {
        ownOffers++;
      }
      long[] capacity = capacity(a, role.name, agents.totalScalars, true);
      for (int k = 0; k < n; k++) {
        largest[k] = Math.max(largest[k], capacity[k]);
      }
      if (need != null && !covers(capacity, need)) {
        continue;
      }
      large++;
      long[] free = capacity(a, role.name, agents.free, false);
      if (need != null ? !covers(free, need) : !hasMinimum(free, minAllocatable)) {
        continue;
      }
      freeBeforeLimit++;
      for (int k = 0; k < n; k++) {
        free[k] = Math.min(free[k], role.limitRoom(k));
      }
      if (need != null ? !covers(free, need) : !hasMinimum(free, minAllocatable)) {
        continue;
      }
      withFree++;
      if (!gang && filters.isFiltered(s, a)) {
        Instant until = filters.earliestFor(s, a);
        if (until != null && (earliest == null || until.isBefore(earliest))) {
          earliest = until;
        }
      } else {
        unfiltered++;
      }
    }
    if (usable == 0) {
      out.add(new Reason(Type.NO_AGENTS, agents.count == 0 ? "no agent is registered"
          : "every agent (" + agents.count + ") is under maintenance"));
    } else if (large == 0) {
      out.add(new Reason(Type.NO_AGENT_LARGE_ENOUGH, missing(need, largest)));
    } else if (withFree == 0 && freeBeforeLimit > 0) {
      addLimitReasons(role, out);
    } else if (withFree == 0 && ownOffers > 0) {
      out.add(new Reason(Type.OFFERS_OUTSTANDING, who + " holds outstanding offers on " + ownOffers
          + " agents; accept or decline them to be offered the rest"));
    } else if (withFree == 0) {
      out.add(new Reason(Type.FAIR_SHARE_EXHAUSTED, "all " + large + " agents large enough are allocated to "
          + "other frameworks or to outstanding offers; " + who + " has share "
          + String.format("%.3f", role.frameworks.share(subs.client[s]))));
    } else if (unfiltered == 0) {
      out.add(new Reason(Type.FILTERED, who + " declined offers from all " + withFree
          + " agents with free resources; the first filter expires at " + earliest
          + " (revive to clear filters)"));
    } else if (roles.headroomNeeded() && starvedByHeadroom(need, minAllocatable)) {
      out.add(new Reason(Type.QUOTA_HEADROOM, "free resources are held back for the quota guarantees of "
          + "other roles: " + kinds.toResources(roles.headroom, 0) + " still guaranteed"));
    }
    return out;
  }

  /** Scalars of an agent usable by a role: unreserved plus reservations of the role or its ancestors. */
  private long[] capacity(int a, String role, long[] rows, boolean total) {
    long[] out = new long[STRIDE];
    if (total) {
      kinds.toArray(agents.total[a].unreserved(), false, out, 0);
      Resources reserved = agents.total[a].reserved()
          .filter(r -> io.trellis.core.role.Role.isSelfOrAncestor(r.role(), role));
      long[] extra = kinds.toArray(reserved);
      for (int k = 0; k < STRIDE; k++) {
        out[k] += extra[k];
      }
      return out;
    }
    System.arraycopy(rows, a * STRIDE, out, 0, STRIDE);
    if (agents.hasReservedFor(a, role)) {
      long[] extra = kinds.toArray(agents.freeReserved[a]
          .filter(r -> io.trellis.core.role.Role.isSelfOrAncestor(r.role(), role)));
      for (int k = 0; k < STRIDE; k++) {
        out[k] += extra[k];
      }
    }
    return out;
  }

  private void addLimitReasons(RoleNode role, List<Reason> out) {
    for (int k = 0; k < kinds.count(); k++) {
      RoleNode limiting = role.limitingRole(k);
      if (limiting != null) {
        out.add(new Reason(Type.QUOTA_LIMIT_REACHED, "quota limit of role " + limiting.name
            + " reached for " + kinds.name(k) + ": " + fmt(limiting.allocated[k]) + " of "
            + fmt(limiting.limit[k]) + " allocated"));
      }
    }
  }

  /**
   * Whether the limits leave too little room for any offer: for a declared need, any needed kind
   * short of room; otherwise every kind of the minimum offer short of room.
   */
  private boolean limitBlocks(long[] need, RoleNode role, Resources minAllocatable) {
    if (!role.limitedChain) {
      return false;
    }
    if (need != null) {
      for (int k = 0; k < kinds.count(); k++) {
        if (need[k] > 0 && role.limitRoom(k) < need[k]) {
          return true;
        }
      }
      return false;
    }
    if (minAllocatable.isEmpty()) {
      for (int k = 0; k < kinds.count(); k++) {
        if (role.limitRoom(k) > 0) {
          return false;
        }
      }
      return true;
    }
    for (String name : minAllocatable.names()) {
      if (role.limitRoom(kinds.indexOf(name)) >= minAllocatable.millis(name)) {
        return false;
      }
    }
    return true;
  }

  private static boolean covers(long[] have, long[] need) {
    for (int k = 0; k < STRIDE; k++) {
      if (have[k] < need[k]) {
        return false;
      }
    }
    return true;
  }

  private boolean hasMinimum(long[] free, Resources minAllocatable) {
    if (minAllocatable.isEmpty()) {
      for (long v : free) {
        if (v > 0) {
          return true;
        }
      }
      return false;
    }
    for (String name : minAllocatable.names()) {
      if (free[kinds.indexOf(name)] >= minAllocatable.millis(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean starvedByHeadroom(long[] need, Resources minAllocatable) {
    long[] surplus = new long[STRIDE];
    for (int k = 0; k < STRIDE; k++) {
      surplus[k] = Math.max(0, unreservedFree[k] - roles.headroom[k]);
    }
    return need != null ? !covers(surplus, need) : !hasMinimum(surplus, minAllocatable);
  }

  private String missing(long[] need, long[] largest) {
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < kinds.count(); k++) {
      if (need[k] > largest[k]) {
        parts.add("no agent has " + fmt(need[k]) + " " + kinds.name(k) + " (largest: " + fmt(largest[k]) + ")");
      }
    }
    if (parts.isEmpty()) {
      return "no single agent has " + kinds.toResources(need, 0) + " although some have each part";
    }
    return String.join("; ", parts);
  }

  private static String fmt(long millis) {
    return Resources.fromMillis(new String[] {"x"}, new long[] {millis}, 0, 1, null, null)
        .toString().replace("x:", "").replaceFirst("^$", "0");
  }
}
