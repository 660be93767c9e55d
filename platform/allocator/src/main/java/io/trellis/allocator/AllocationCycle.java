package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.sorter.DrfSorter;
import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One allocation cycle over flat arrays. Stage one walks the roles whose quota guarantee is not
 * met and gives them up to the guarantee; stage two walks every role in weighted-DRF order,
 * frameworks within a role in DRF order, and offers each agent's free resources to the first
 * framework that is not filtered, within quota limits and without eating into the headroom that
 * unmet guarantees need.
 *
 * <p>With fair offers on and more than one role waiting, stage two runs twice over all agents:
 * first the frameworks that declared what they need are offered no more than brings their role
 * to its weighted fair share of the cluster (its weight over the weights of the roles waiting
 * beside it, down the hierarchy), but at least that need while the role is below its share, so
 * one role cannot take a whole agent while others wait and nobody gets a fragment too small for
 * its next task; then what is left goes out whole in DRF order as before, so nothing stays idle
 * that someone could use.
 *
 * <p>The loop allocates nothing: decisions land in reusable buffers that the allocator turns into
 * offers afterwards. Sorters are updated in place as resources are handed out, so a framework
 * that just received resources moves back in the order without any re-sort.
 */
final class AllocationCycle {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final Filters filters;
  /** Cluster-wide free unreserved scalars on agents not under maintenance. */
  private final long[] unreservedFree;
  /** Minimum allocatable amounts as (kind, millis) pairs: an offer needs one of them. */
  private final int[] minKinds;
  private final long[] minAmounts;

  /** The need last refused in the current walk of a role's frameworks, or this for none yet. */
  private static final long[] NOTHING_REFUSED = new long[0];
  private long[] refusedNeed = NOTHING_REFUSED;

  /** Below this many frameworks in a role, stepping through the order is as cheap as any index. */
  private static final int SPARSE_MIN_FRAMEWORKS = 64;
  /** Filtered frameworks a walk steps over before it scans the filter bits instead. */
  private static final int SPARSE_AFTER_FILTERED = 64;

  private final long[] offer = new long[STRIDE];
  private final long[] delta = new long[STRIDE];
  private final long[] reservedScalars = new long[STRIDE];
  private int stamp;
  private boolean headroom;
  /** Freed resources kept for roles that preempted; other roles are not offered them. */
  PreemptionHolds holds = new PreemptionHolds();
  /** Whether this pass caps offers at each role's fair share. */
  private boolean capping;
  private final boolean fairOffers;
  private final long[] clusterTotal;
  private final boolean[] excluded;
  private final long[] uncapped = new long[STRIDE];
  /** Per kind, the smallest need declared by an eligible subscription, this cycle. */
  private final long[] smallestNeed = new long[STRIDE];
  /** Whether every eligible subscription declared a need, this cycle. */
  private boolean allDeclared;

  // Decisions of the current cycle.
  int count;
  /** Decisions made by stage one; a subscription may get a second share of the same agent later. */
  int guaranteeCount;
  /** Whether a subscription may have more than one decision on an agent (several passes ran). */
  boolean repeats;
  int[] sub = new int[64];
  int[] agent = new int[64];
  long[] scalars = new long[64 * STRIDE];
  Resources[] ranges = new Resources[64];
  Resources[] reserved = new Resources[64];

  AllocationCycle(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Filters filters,
      long[] unreservedFree, Resources minAllocatable, boolean fairOffers, long[] clusterTotal,
      boolean[] excluded) {
    this.fairOffers = fairOffers;
    this.clusterTotal = clusterTotal;
    this.excluded = excluded;
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.filters = filters;
    this.unreservedFree = unreservedFree;
    var names = minAllocatable.names();
    this.minKinds = new int[names.size()];
    this.minAmounts = new long[names.size()];
    int i = 0;
    for (String name : names) {
      minKinds[i] = kinds.register(name);
      minAmounts[i++] = minAllocatable.millis(name);
    }
  }

  /** Runs both stages starting at agent slot {@code start}; decisions are left in the buffers. */
  void run(int start) {
    count = 0;
    guaranteeCount = 0;
    repeats = false;
    capping = false;
    int n = agents.limit;
    if (n == 0) {
      return;
    }
    start = Math.floorMod(start, n);
    boundNeeds();
    if (roles.anyUnsatisfiedGuarantee()) {
      repeats = true;
      for (int i = 0; i < n; i++) {
        int a = start + i < n ? start + i : start + i - n;
        if (!skip(a) && !(allDeclared && fitsNoNeed(a))) {
          stamp++;
          guarantees(a);
        }
      }
      guaranteeCount = count;
    }
    if (fairOffers && subs.declared > 0 && roles.root.children.size() > 1) {
      repeats = true;
      capping = true;
      fairFractions(roles.root, 1.0);
      stage(start, n);
      capping = false;
    }
    stage(start, n);
  }

  /**
   * Stage two over every agent, from {@code start}. An agent whose free resources fit no declared
   * need is passed over when every subscription that could be offered it declared one (in the
   * capping pass only those are offered anything): each of them would be refused there.
   */
  private void stage(int start, int n) {
    boolean needsDecide = capping || allDeclared;
    for (int i = 0; i < n; i++) {
      int a = start + i < n ? start + i : start + i - n;
      if (!skip(a) && !(needsDecide && fitsNoNeed(a))) {
        stamp++;
        headroom = roles.headroomNeeded();
        children(roles.root, a, null);
      }
    }
  }

  /**
   * Sets each waiting role's fair fraction of the cluster: its parent's fraction times its
   * weight over the weights of its waiting siblings (and the parent's own frameworks).
   */
  private void fairFractions(RoleNode node, double fraction) {
    DrfSorter cs = node.children;
    double sum = 0;
    for (int p = 0; p < cs.size(); p++) {
      sum += cs.weight(cs.clientAt(p));
    }
    node.fairFraction = fraction;
    for (int p = 0; p < cs.size(); p++) {
      int c = cs.clientAt(p);
      if (c != node.selfClient) {
        fairFractions(node.childByClient[c], fraction * cs.weight(c) / sum);
      }
    }
  }

  /** What the role (and its ancestors) may still take of kind {@code k} before its fair share. */
  private long fairRoom(RoleNode node, int k) {
    if (excluded[k] || clusterTotal[k] <= 0) {
      return Long.MAX_VALUE;
    }
    long room = Long.MAX_VALUE;
    for (RoleNode n = node; !n.isRoot(); n = n.parent) {
      long fair = (long) Math.floor(n.fairFraction * clusterTotal[k]);
      room = Math.min(room, Math.max(0, fair - n.allocated[k]));
    }
    return room;
  }

  /** Whether the role's dominant share is below its fair fraction. */
  private boolean belowFairShare(RoleNode node, int kindCount) {
    for (int k = 0; k < kindCount; k++) {
      if (!excluded[k] && clusterTotal[k] > 0
          && node.allocated[k] >= (long) Math.floor(node.fairFraction * clusterTotal[k])) {
        return false;
      }
    }
    return true;
  }

  /** Sets {@link #smallestNeed} and {@link #allDeclared} from the eligible subscriptions. */
  private void boundNeeds() {
    Arrays.fill(smallestNeed, Long.MAX_VALUE);
    allDeclared = true;
    boolean[] eligible = subs.eligible;
    for (int s = 0; s < eligible.length; s++) {
      if (eligible[s]) {
        long[] need = subs.need[s];
        if (need == null) {
          allDeclared = false;
        } else {
          for (int k = 0; k < STRIDE; k++) {
            smallestNeed[k] = Math.min(smallestNeed[k], need[k]);
          }
        }
      }
    }
  }

  /**
   * Whether the agent's free unreserved resources are below every declared need in some kind
   * and it has no free reservations: an offer never exceeds the free amount, so {@link #offer}
   * refuses every subscription with a need there.
   */
  private boolean fitsNoNeed(int a) {
    if (agents.freeReserved[a] != null) {
      return false;
    }
    int base = a * STRIDE;
    long[] free = agents.free;
    for (int k = 0; k < STRIDE; k++) {
      if (free[base + k] < smallestNeed[k]) {
        return true;
      }
    }
    return false;
  }

  private boolean skip(int a) {
    return !agents.live[a] || agents.maintenance[a] || filters.count(a) >= subs.count || exhausted(a);
  }

  /** Whether the agent has nothing left worth offering. */
  boolean exhausted(int a) {
    if (agents.freeReserved[a] != null) {
      return false;
    }
    int base = a * STRIDE;
    if (minKinds.length == 0) {
      for (int k = 0; k < STRIDE; k++) {
        if (agents.free[base + k] > 0) {
          return false;
        }
      }
      return true;
    }
    for (int i = 0; i < minKinds.length; i++) {
      if (agents.free[base + minKinds[i]] >= minAmounts[i]) {
        return false;
      }
    }
    return true;
  }

  /** Stage one for one agent: roles with unmet guarantees, lowest share first. */
  private void guarantees(int a) {
    DrfSorter qs = roles.quotaSorter;
    int p = 0;
    while (p < qs.size()) {
      int c = qs.clientAt(p);
      if (roles.quotaVisit[c] == stamp) {
        p++;
        continue;
      }
      roles.quotaVisit[c] = stamp;
      RoleNode role = roles.quotaByClient[c];
      headroom = roles.headroomNeeded();
      if (children(role, a, role)) {
        return;
      }
      if (p < qs.size() && qs.clientAt(p) == c) {
        p++;
      }
    }
  }

  /**
   * Walks a role's children in order; a client that receives resources moves right, so the
   * position only advances when the client is still in place. Returns whether the agent is spent.
   */
  private boolean children(RoleNode node, int a, RoleNode quota) {
    DrfSorter cs = node.children;
    int p = 0;
    while (p < cs.size()) {
      int c = cs.clientAt(p);
      if (node.childVisit[c] == stamp) {
        p++;
        continue;
      }
      node.childVisit[c] = stamp;
      boolean spent = c == node.selfClient
          ? frameworks(node, a, quota)
          : children(node.childByClient[c], a, quota);
      if (spent) {
        return true;
      }
      if (p < cs.size() && cs.clientAt(p) == c) {
        p++;
      }
    }
    return false;
  }

  /**
   * Walks a role's frameworks in order on one agent. With many frameworks, a walk that steps
   * over {@link #SPARSE_AFTER_FILTERED} filtered ones goes on as {@link #sparseFrameworks}, and an
   * agent that only a few subscriptions do not filter (fewer than the square root of the
   * frameworks) starts there: stepping through the order costs the filtered frameworks ahead of
   * the first open one, the scan costs the open ones, and both visit them in the same order.
   */
  private boolean frameworks(RoleNode node, int a, RoleNode quota) {
    DrfSorter fs = node.frameworks;
    boolean many = fs.size() > SPARSE_MIN_FRAMEWORKS;
    long open = subs.count - filters.count(a);
    if (many && open * open < fs.size()) {
      return sparseFrameworks(node, a, quota);
    }
    long[] filtering = filters.filteringSubs(a);
    int stepped = 0;
    int p = 0;
    refusedNeed = NOTHING_REFUSED;
    while (p < fs.size()) {
      int c = fs.clientAt(p);
      if (node.frameworkVisit[c] == stamp) {
        p++;
        continue;
      }
      node.frameworkVisit[c] = stamp;
      int s = node.subByClient[c];
      if (Filters.isSet(filtering, s)) {
        if (many && ++stepped > SPARSE_AFTER_FILTERED) {
          return sparseFrameworks(node, a, quota);
        }
      } else if (tryOffer(s, a, node, quota) && exhausted(a)) {
        return true;
      }
      if (p < fs.size() && fs.clientAt(p) == c) {
        p++;
      }
    }
    return false;
  }

  /**
   * The same walk for an agent that most subscriptions filter: instead of stepping over filtered
   * frameworks in order, it scans the agent's filter bits for unfiltered subscriptions of this
   * role and picks the one first in order, so the cost is the bit words, not the frameworks.
   */
  private boolean sparseFrameworks(RoleNode node, int a, RoleNode quota) {
    DrfSorter fs = node.frameworks;
    long[] filtering = filters.filteringSubs(a);
    RoleNode[] subRole = subs.role;
    int[] client = subs.client;
    refusedNeed = NOTHING_REFUSED;
    while (true) {
      int best = -1;
      for (int w = 0; w < filtering.length; w++) {
        long open = ~filtering[w];
        while (open != 0) {
          int s = (w << 6) + Long.numberOfTrailingZeros(open);
          open &= open - 1;
          if (s >= subRole.length) {
            break;
          }
          if (subRole[s] == node && subs.eligible[s] && node.frameworkVisit[client[s]] != stamp
              && (best < 0 || fs.precedes(client[s], client[best]))) {
            best = s;
          }
        }
      }
      if (best < 0) {
        return false;
      }
      node.frameworkVisit[subs.client[best]] = stamp;
      if (tryOffer(best, a, node, quota) && exhausted(a)) {
        return true;
      }
    }
  }

  /**
   * {@link #offer}, unless a subscription with the same need was just refused on this agent
   * under the same role: whether an offer is made depends on the subscription only through its
   * need, and nothing has changed since (the walk starts afresh after every offer made).
   */
  private boolean tryOffer(int s, int a, RoleNode node, RoleNode quota) {
    long[] need = subs.need[s];
    if (refusedNeed != NOTHING_REFUSED && (refusedNeed == need
        || (need != null && refusedNeed != null && Arrays.equals(refusedNeed, need)))) {
      return false;
    }
    if (offer(s, a, node, quota)) {
      refusedNeed = NOTHING_REFUSED;
      return true;
    }
    refusedNeed = need;
    return false;
  }

  /** Offers what the subscription may take from the agent; returns whether it took anything. */
  private boolean offer(int s, int a, RoleNode node, RoleNode quota) {
    long[] need = subs.need[s];
    if (capping && need == null) {
      // Without a declared need a capped offer may be a useless fragment: such frameworks get
      // whole offers in the pass after.
      return false;
    }
    int kindCount = kinds.count();
    int base = a * STRIDE;
    long[] free = agents.free;
    long[] headroomNeed = roles.headroom;
    for (int k = 0; k < kindCount; k++) {
      long o = free[base + k];
      if (o > 0) {
        if (node.limitedChain) {
          o = Math.min(o, node.limitRoom(k));
        }
        if (quota != null && quota.guarantee[k] > 0) {
          o = Math.min(o, quota.unsatisfied(k));
        } else if (headroom) {
          o = Math.min(o, Math.max(0, unreservedFree[k] - headroomNeed[k]));
        }
      }
      offer[k] = o;
      uncapped[k] = o;
      if (capping && o > 0) {
        offer[k] = Math.min(o, fairRoom(node, k));
      }
    }
    if (capping && belowFairShare(node, kindCount)) {
      // A declared need is offered whole while the role is below its fair share.
      for (int k = 0; k < kindCount; k++) {
        if (offer[k] < need[k] && need[k] <= uncapped[k]) {
          offer[k] = need[k];
        }
      }
    }
    if (holds.on(a)) {
      holds.limit(a, node, free, base, offer, kindCount);
    }
    Resources mine = null;
    Arrays.fill(reservedScalars, 0L);
    if (agents.freeReserved[a] != null && agents.hasReservedFor(a, node.name)) {
      mine = agents.freeReserved[a].filter(r -> Role.isSelfOrAncestor(r.role(), node.name));
      kinds.toArray(mine, false, reservedScalars, 0);
      if (node.limitedChain && !fitReservedUnderLimit(node, kindCount)) {
        mine = null;
        Arrays.fill(reservedScalars, 0L);
      }
    }
    if (mine == null && !meaningful()) {
      return false;
    }
    if (need != null) {
      for (int k = 0; k < kindCount; k++) {
        if (offer[k] + reservedScalars[k] < need[k]) {
          return false;
        }
      }
    }
    double taken = capping ? fractionTaken(free, base, kindCount) : 1.0;
    int i = record(s, a);
    for (int k = 0; k < kindCount; k++) {
      free[base + k] -= offer[k];
      unreservedFree[k] -= offer[k];
      scalars[i * STRIDE + k] = offer[k];
      delta[k] = offer[k] + reservedScalars[k];
    }
    if (taken >= 1.0) {
      ranges[i] = agents.freeRanges[a];
      agents.freeRanges[a] = Resources.empty();
    } else {
      ranges[i] = slice(agents.freeRanges[a], taken);
      agents.freeRanges[a] = agents.freeRanges[a].minus(ranges[i]);
    }
    reserved[i] = mine;
    if (mine != null) {
      Resources left = agents.freeReserved[a].minus(mine);
      agents.freeReserved[a] = left.isEmpty() ? null : left;
    }
    roles.charge(node, subs.client[s], delta, true);
    return true;
  }

  /** The largest fraction of the agent's free amount of any kind that the offer takes. */
  private double fractionTaken(long[] free, int base, int kindCount) {
    double taken = 0;
    for (int k = 0; k < kindCount; k++) {
      if (offer[k] > 0 && free[base + k] > 0) {
        taken = Math.max(taken, (double) offer[k] / free[base + k]);
      }
    }
    return taken;
  }

  /** The first {@code fraction} (rounded up) of every range resource, e.g. ports for a capped offer. */
  private static Resources slice(Resources ranges, double fraction) {
    if (ranges.isEmpty()) {
      return ranges;
    }
    List<Resource> out = new ArrayList<>(ranges.size());
    for (Resource r : ranges.entries()) {
      long n = (long) Math.ceil(r.ranges().size() * fraction);
      if (n > 0) {
        out.add(Resource.ranges(r.name(), r.role(), r.ranges().first(n)));
      }
    }
    return Resources.of(out);
  }

  /**
   * Reservations count toward quota limits: the unreserved part shrinks to leave them room, and
   * when the reservations alone exceed the room they are not offered this time.
   */
  private boolean fitReservedUnderLimit(RoleNode node, int kindCount) {
    for (int k = 0; k < kindCount; k++) {
      if (reservedScalars[k] > 0 && reservedScalars[k] > node.limitRoom(k)) {
        return false;
      }
    }
    for (int k = 0; k < kindCount; k++) {
      if (reservedScalars[k] > 0) {
        offer[k] = Math.min(offer[k], node.limitRoom(k) - reservedScalars[k]);
      }
    }
    return true;
  }

  private boolean meaningful() {
    if (minKinds.length == 0) {
      for (int k = 0; k < STRIDE; k++) {
        if (offer[k] > 0) {
          return true;
        }
      }
      return false;
    }
    for (int i = 0; i < minKinds.length; i++) {
      if (offer[minKinds[i]] >= minAmounts[i]) {
        return true;
      }
    }
    return false;
  }

  private int record(int s, int a) {
    if (count == sub.length) {
      int cap = count * 2;
      sub = Arrays.copyOf(sub, cap);
      agent = Arrays.copyOf(agent, cap);
      scalars = Arrays.copyOf(scalars, cap * STRIDE);
      ranges = Arrays.copyOf(ranges, cap);
      reserved = Arrays.copyOf(reserved, cap);
    }
    sub[count] = s;
    agent[count] = a;
    Arrays.fill(scalars, count * STRIDE, (count + 1) * STRIDE, 0L);
    return count++;
  }
}
