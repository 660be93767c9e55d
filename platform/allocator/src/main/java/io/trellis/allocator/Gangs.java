package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.DemandStatus.State;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demands frameworks stated, and the holds of their gangs. Each cycle, before ordinary
 * offers: the one incomplete gang allowed to hold resources (the holder) takes what has become
 * free; then every waiting gang, in order (roles by weighted dominant share, then first stated
 * first), is offered at once when {@code minMember} members fit in free resources, and the first
 * that does not fit becomes the holder when there is none; last, gangs past their timeout expire
 * (soft) or fail (hard). Only one incomplete gang holds at a time, so interleaved partial holds
 * cannot deadlock; what it holds is offered to nobody else, so a stream of small requests cannot
 * starve it; its hold ends when it is offered, expires, or its framework or demand goes away.
 */
final class Gangs {
  private final Kinds kinds;
  private final Agents agents;
  private final Roles roles;
  private final Subscriptions subs;
  private final Ledger ledger;
  private final ReasonFinder reasons;
  private final OfferListener listener;
  private final Resources minAllocatable;

  /** One stated demand; a gang carries its state and hold. */
  static final class Entry {
    final FrameworkId framework;
    final Demand demand;
    final int sub;
    final long seq;
    /** When the gang started waiting: its first REQUEST, or when its offers were taken back. */
    Instant since;
    final long[] member;
    State state;
    /** Members held, by agent slot. */
    final Map<Integer, Integer> held = new TreeMap<>();
    /**
     * For the holder only: agents chosen for members that do not fit yet, with what is held there
     * so far (never more than one member); each becomes a member once the rest frees up.
     */
    final Map<Integer, long[]> partial = new TreeMap<>();
    int fitting;
    String reason;

    Entry(FrameworkId framework, Demand demand, int sub, long seq, Instant since, long[] member) {
      this.framework = framework;
      this.demand = demand;
      this.sub = sub;
      this.seq = seq;
      this.since = since;
      this.member = member;
      this.state = demand.gang() == null ? null : State.WAITING;
    }

    boolean waits() {
      return state == State.WAITING || state == State.HELD;
    }

    /** Whether the gang holds any resources (members, or part of one). */
    boolean holds() {
      if (!held.isEmpty()) {
        return true;
      }
      for (long[] got : partial.values()) {
        for (long v : got) {
          if (v > 0) {
            return true;
          }
        }
      }
      return false;
    }

    int heldCount() {
      int n = 0;
      for (int m : held.values()) {
        n += m;
      }
      return n;
    }

    Instant deadline() {
      return since.plus(demand.gang().timeout());
    }
  }

  /** A gang's members on one agent, to be offered in this cycle. */
  record Pending(Entry entry, int agent, Resources resources) {}

  private final Map<FrameworkId, List<Entry>> byFramework = new LinkedHashMap<>();
  /** Subscriptions whose smallest offer was set from plain demands. */
  private final Set<Integer> needFromDemands = new HashSet<>();
  private Entry holder;
  private long seq;

  Gangs(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Ledger ledger, ReasonFinder reasons,
      OfferListener listener, Resources minAllocatable) {
    this.kinds = kinds;
    this.agents = agents;
    this.roles = roles;
    this.subs = subs;
    this.ledger = ledger;
    this.reasons = reasons;
    this.listener = listener;
    this.minAllocatable = minAllocatable;
  }

  // What frameworks state.

  /** Replaces the framework's demands; checks them all before changing anything. */
  void request(FrameworkId framework, List<Demand> demands, Instant now) {
    subs.framework(framework);
    Map<String, Integer> subOf = new HashMap<>();
    Set<String> ids = new HashSet<>();
    for (Demand d : demands) {
      if (!ids.add(d.id())) {
        throw new IllegalArgumentException("demand id " + d.id() + " appears twice");
      }
      subOf.put(d.id(), subs.sub(framework, d.role()));
      kinds.registerAll(d.member());
    }
    Map<String, Entry> old = new HashMap<>();
    for (Entry e : byFramework.getOrDefault(framework, List.of())) {
      old.put(e.demand.id(), e);
    }
    List<Entry> next = new ArrayList<>();
    for (Demand d : demands) {
      Entry kept = old.remove(d.id());
      if (kept != null && same(kept.demand, d)) {
        next.add(kept);
      } else {
        if (kept != null) {
          release(kept);
        }
        next.add(new Entry(framework, d, subOf.get(d.id()), seq++, now, kinds.toArray(d.member())));
      }
    }
    old.values().forEach(this::release);
    if (next.isEmpty()) {
      byFramework.remove(framework);
    } else {
      byFramework.put(framework, next);
    }
    refreshNeeds(framework);
  }

  private static boolean same(Demand a, Demand b) {
    return a.role().equals(b.role()) && a.member().equals(b.member()) && a.count() == b.count()
        && a.constraints().toString().equals(b.constraints().toString())
        && java.util.Objects.equals(a.gang(), b.gang());
  }

  /** A plain demand (or an expired soft gang) sets the smallest offer worth making under its role. */
  private void refreshNeeds(FrameworkId framework) {
    Map<Integer, long[]> smallest = new HashMap<>();
    for (Entry e : byFramework.getOrDefault(framework, List.of())) {
      if (e.state == null || e.state == State.EXPIRED) {
        long[] min = smallest.get(e.sub);
        if (min == null) {
          smallest.put(e.sub, e.member.clone());
        } else {
          for (int k = 0; k < STRIDE; k++) {
            min[k] = Math.min(min[k], e.member[k]);
          }
        }
      }
    }
    for (int s : subs.framework(framework).subs.values()) {
      long[] min = smallest.get(s);
      if (min != null) {
        subs.setNeed(s, min);
        needFromDemands.add(s);
      } else if (needFromDemands.remove(s)) {
        subs.setNeed(s, null);
      }
    }
  }

  /**
   * Offered gangs whose offers were taken back before the framework answered them (it
   * disconnected or subscribed again) wait again, with a fresh timeout.
   */
  void waitAgain(FrameworkId framework, Set<String> ids, Instant now) {
    for (Entry e : byFramework.getOrDefault(framework, List.of())) {
      if (e.state == State.OFFERED && ids.contains(e.demand.id())) {
        e.state = State.WAITING;
        e.since = now;
        changed(e);
      }
    }
  }

  /** An explicit minimum offer replaces the one derived from demands until the next request. */
  void needSetExplicitly(int s) {
    needFromDemands.remove(s);
  }

  void removeFramework(FrameworkId framework) {
    List<Entry> gone = byFramework.remove(framework);
    if (gone != null) {
      gone.forEach(this::release);
    }
    for (int s : subs.framework(framework).subs.values()) {
      needFromDemands.remove(s);
    }
  }

  /**
   * Gangs of subscriptions that cannot take offers (disconnected, suppressed) hold nothing;
   * returns whether any hold ended.
   */
  boolean releaseIneligible() {
    boolean any = false;
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if ((!e.held.isEmpty() || !e.partial.isEmpty()) && !subs.eligible[e.sub]) {
          release(e);
          changed(e);
          any = true;
        }
      }
    }
    return any;
  }

  /** An agent leaves (or changes, or enters maintenance): holds on it end; the gangs keep waiting. */
  void agentGone(int a) {
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        Integer n = e.held.remove(a);
        long[] part = e.partial.remove(a);
        if (n != null) {
          ledger.unhold(e.sub, a, times(e.member, n));
        }
        if (part != null) {
          ledger.unhold(e.sub, a, kinds.toResources(part, 0));
        }
        if (n != null || part != null) {
          if (!e.holds()) {
            e.state = State.WAITING;
          }
          changed(e);
        }
      }
    }
  }

  private void release(Entry e) {
    for (Map.Entry<Integer, Integer> h : e.held.entrySet()) {
      ledger.unhold(e.sub, h.getKey(), times(e.member, h.getValue()));
    }
    e.held.clear();
    releasePartial(e);
    if (e.state == State.HELD) {
      e.state = State.WAITING;
    }
    if (holder == e) {
      holder = null;
    }
  }

  private void releasePartial(Entry e) {
    for (Map.Entry<Integer, long[]> p : e.partial.entrySet()) {
      ledger.unhold(e.sub, p.getKey(), kinds.toResources(p.getValue(), 0));
    }
    e.partial.clear();
  }

  // The cycle.

  /** Grows holds, decides which gangs are offered now, and expires those past their timeout. */
  List<Pending> run(Instant now) {
    List<Pending> out = new ArrayList<>();
    releaseIneligible();
    if (holder != null && (!holder.waits() || !subs.eligible[holder.sub])) {
      holder = null;
    }
    if (holder != null) {
      String before = holding(holder);
      grow(holder);
      if (holder.heldCount() >= holder.demand.gang().minMember()) {
        offer(holder, out);
        holder = null;
      } else if (!holding(holder).equals(before)) {
        holder.state = holder.holds() ? State.HELD : State.WAITING;
        changed(holder);
      }
    }
    for (Entry e : ordered()) {
      if (e == holder) {
        continue;
      }
      int fit = place(e, e.demand.count(), false);
      if (fit >= e.demand.gang().minMember()) {
        place(e, e.demand.count(), true);
        offer(e, out);
      } else if (holder == null) {
        holder = e;
        grow(e);
        if (e.holds()) {
          e.state = State.HELD;
          changed(e);
        }
      }
    }
    // After placement: a gang that fits at its deadline is still offered.
    expire(now);
    return out;
  }

  /**
   * The holder takes what has become free: first toward the members it already waits for on
   * chosen agents, then whole members wherever they fit, then it chooses agents for the members
   * still missing up to {@code minMember} (those with the most of a member free) and holds what is
   * free there, so resources freed on them go to the gang and not back to a stream of small
   * requests.
   */
  private void grow(Entry e) {
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
  private boolean topUp(Entry e, int a, long[] got, long[] budget) {
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

  /** A summary of what the gang holds, to tell whether a cycle changed it. */
  private static String holding(Entry e) {
    StringBuilder b = new StringBuilder(e.held.toString());
    e.partial.forEach((a, got) -> b.append(a).append(java.util.Arrays.toString(got)));
    return b.toString();
  }

  /** Waiting gangs of subscriptions that can take offers: roles by weighted share, then oldest first. */
  private List<Entry> ordered() {
    List<Entry> out = new ArrayList<>();
    Map<RoleNode, Double> share = new HashMap<>();
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if (e.waits() && subs.eligible[e.sub]) {
          out.add(e);
          RoleNode node = subs.role[e.sub];
          share.computeIfAbsent(node, n -> n.parent.children.share(n.clientInParent));
        }
      }
    }
    out.sort(Comparator.<Entry>comparingDouble(e -> share.get(subs.role[e.sub]))
        .thenComparingLong(e -> e.seq));
    return out;
  }

  private void expire(Instant now) {
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if (e.waits() && !e.deadline().isAfter(now)) {
          explain(e);
          String why = "gang " + e.demand.id() + " waited " + e.demand.gang().timeout().toSeconds()
              + " s (its timeout): " + e.reason;
          release(e);
          e.reason = why;
          e.state = e.demand.gang().hard() ? State.FAILED : State.EXPIRED;
          changed(e);
          if (e.state == State.EXPIRED) {
            refreshNeeds(e.framework);
          }
        }
      }
    }
  }

  private void offer(Entry e, List<Pending> out) {
    releasePartial(e);
    e.fitting = e.heldCount();
    for (Map.Entry<Integer, Integer> h : e.held.entrySet()) {
      out.add(new Pending(e, h.getKey(), times(e.member, h.getValue())));
    }
    e.held.clear();
    e.state = State.OFFERED;
    e.reason = null;
    changed(e);
  }

  /** The earliest timeout of a waiting gang, or null. */
  Instant nextDeadline() {
    Instant next = null;
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if (e.waits() && (next == null || e.deadline().isBefore(next))) {
          next = e.deadline();
        }
      }
    }
    return next;
  }

  // Placement.

  /**
   * Places up to {@code want} more members of the gang on free resources, within its role's
   * quota limit and outside the headroom other roles' guarantees need, honouring its
   * constraints against the members it already holds. With {@code commit}, the members are held;
   * otherwise nothing changes. Returns how many members are placed (with those already held).
   */
  private int place(Entry e, int want, boolean commit) {
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
  private long[] budget(Entry e) {
    RoleNode role = subs.role[e.sub];
    long[] budget = new long[STRIDE];
    for (int k = 0; k < STRIDE; k++) {
      long otherHeadroom = Math.max(0, roles.headroom[k] - role.unsatisfied(k));
      budget[k] = Math.min(role.limitRoom(k), ledger.unreservedFree[k] - otherHeadroom);
    }
    return budget;
  }

  /** A placement that counts the members the gang holds and the agents it waits on. */
  private Placement placement(Entry e, long[] budget) {
    Placement p = new Placement(e, budget);
    e.held.forEach(p::count);
    e.partial.keySet().forEach(a -> p.count(a, 1));
    return p;
  }

  /** Members placed so far against one gang's constraints and a budget per kind. */
  private final class Placement {
    private final Entry e;
    private final long[] budget;
    private final List<Map<String, Integer>> perValue = new ArrayList<>();

    Placement(Entry e, long[] budget) {
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
      long[] left = new long[STRIDE];
      System.arraycopy(rows, base, left, 0, STRIDE);
      int n = 0;
      while (n < want && fits(left) && allowed(a)) {
        for (int k = 0; k < STRIDE; k++) {
          left[k] -= e.member[k];
          budget[k] -= e.member[k];
        }
        count(a, 1);
        n++;
      }
      return n;
    }

    private boolean fits(long[] left) {
      for (int k = 0; k < STRIDE; k++) {
        if (e.member[k] > 0 && (left[k] < e.member[k] || budget[k] < e.member[k])) {
          return false;
        }
      }
      return true;
    }

    private boolean allowed(int a) {
      List<MemberConstraint> cs = e.demand.constraints();
      for (int i = 0; i < cs.size(); i++) {
        String v = cs.get(i).valueOf(agents.hostnames[a], agents.attributes[a]);
        if (!cs.get(i).allows(v, v == null ? 0 : perValue.get(i).getOrDefault(v, 0))) {
          return false;
        }
      }
      return true;
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
    java.util.Arrays.fill(budget, Long.MAX_VALUE / 2);
    Entry probe = new Entry(null, new Demand("probe", roleName, member, minMember, constraints, null), -1, -1,
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

  // Introspection.

  /** Sets how many members of a waiting gang fit now and what blocks the rest. */
  private void explain(Entry e) {
    int fit = place(e, e.demand.count() - e.heldCount(), false);
    e.fitting = fit;
    int min = e.demand.gang().minMember();
    List<String> why = new ArrayList<>();
    if (fit < min && holder != null && holder != e) {
      why.add(new Reason(Reason.Type.GANG_QUEUED, "waiting behind gang " + holder.demand.id() + " of framework "
          + holder.framework + " in role " + subs.role[holder.sub].name
          + ": one incomplete gang at a time holds resources").toString());
    }
    if (!e.partial.isEmpty()) {
      List<String> on = new ArrayList<>();
      e.partial.keySet().forEach(a -> on.add(agents.ids[a].value()));
      why.add("holds part of a member on " + on + " until the tasks there end");
    }
    if (fit < e.demand.count()) {
      reasons.explainMember(e.sub, e.member, minAllocatable).forEach(r -> why.add(r.toString()));
      if (why.isEmpty() && !e.demand.constraints().isEmpty()) {
        why.add(new Reason(Reason.Type.CONSTRAINTS, "constraints " + e.demand.constraints()
            + " leave room for " + fit + " members on the free resources").toString());
      }
      if (why.isEmpty()) {
        why.add(new Reason(Reason.Type.GANG_INCOMPLETE, "the other resources that fit a member are in use "
            + "or in outstanding offers").toString());
      }
    }
    e.reason = fit + " of " + e.demand.count() + " members fit now (minMember " + min + ")"
        + (why.isEmpty() ? "" : "; " + String.join("; ", why));
  }

  DemandStatus status(Entry e) {
    if (e.waits()) {
      explain(e);
    }
    Map<AgentId, Resources> held = new LinkedHashMap<>();
    e.held.forEach((a, n) -> held.put(agents.ids[a], times(e.member, n)));
    e.partial.forEach((a, got) -> held.merge(agents.ids[a], kinds.toResources(got, 0), Resources::plus));
    held.values().removeIf(Resources::isEmpty);
    return new DemandStatus(e.framework, e.demand, e.state, held, e.state == null ? 0 : e.fitting,
        e.reason, e.since);
  }

  List<DemandStatus> statuses(FrameworkId framework) {
    List<DemandStatus> out = new ArrayList<>();
    for (Entry e : byFramework.getOrDefault(framework, List.of())) {
      out.add(status(e));
    }
    return out;
  }

  /** Resources held by gangs, by role. */
  Map<String, Resources> heldByRole() {
    Map<String, Resources> out = new TreeMap<>();
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if (!e.held.isEmpty()) {
          out.merge(subs.role[e.sub].name, times(e.member, e.heldCount()), Resources::plus);
        }
        for (long[] got : e.partial.values()) {
          out.merge(subs.role[e.sub].name, kinds.toResources(got, 0), Resources::plus);
        }
      }
    }
    out.values().removeIf(Resources::isEmpty);
    return out;
  }

  Map<State, Integer> counts() {
    Map<State, Integer> out = new java.util.EnumMap<>(State.class);
    for (State st : State.values()) {
      out.put(st, 0);
    }
    for (List<Entry> list : byFramework.values()) {
      for (Entry e : list) {
        if (e.state != null) {
          out.merge(e.state, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  private void changed(Entry e) {
    listener.gangChanged(status(e));
  }

  private Resources times(long[] member, int n) {
    long[] out = new long[STRIDE];
    for (int k = 0; k < STRIDE; k++) {
      out[k] = member[k] * n;
    }
    return kinds.toResources(out, 0);
  }
}
