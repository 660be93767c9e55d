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
  private final Subscriptions subs;
  private final Ledger ledger;
  private final ReasonFinder reasons;
  private final OfferListener listener;
  private final Resources minAllocatable;
  private final GangPlacement places;

  /** A gang's members on one agent, to be offered in this cycle. */
  record Pending(GangEntry entry, int agent, Resources resources) {}

  private final Map<FrameworkId, List<GangEntry>> byFramework = new LinkedHashMap<>();
  /** Frameworks with a plain demand whose member no registered agent could hold. */
  private final Set<FrameworkId> withUnfit = new HashSet<>();

  /** Whether some live agent's total holds {@code member}; true while no agent is registered. */
  private boolean fitsSomeAgent(long[] member) {
    boolean any = false;
    for (int a = 0; a < agents.limit; a++) {
      if (!agents.live[a]) {
        continue;
      }
      any = true;
      boolean fits = true;
      for (int k = 0; k < STRIDE && fits; k++) {
        fits = member[k] <= agents.totalScalars[a * STRIDE + k];
      }
      if (fits) {
        return true;
      }
    }
    return !any;
  }

  /**
   * A new agent may hold members no agent held before; the first agent decides for every demand
   * stated while none was registered.
   */
  void agentAdded() {
    int live = 0;
    for (int a = 0; a < agents.limit && live < 2; a++) {
      live += agents.live[a] ? 1 : 0;
    }
    for (FrameworkId f : List.copyOf(live == 1 ? byFramework.keySet() : withUnfit)) {
      refreshNeeds(f);
    }
  }

  /** Subscriptions whose smallest offer was set from plain demands. */
  private final Set<Integer> needFromDemands = new HashSet<>();
  private GangEntry holder;
  private long seq;

  Gangs(Kinds kinds, Agents agents, Roles roles, Subscriptions subs, Ledger ledger, ReasonFinder reasons,
      OfferListener listener, Resources minAllocatable) {
    this.kinds = kinds;
    this.agents = agents;
    this.subs = subs;
    this.ledger = ledger;
    this.reasons = reasons;
    this.listener = listener;
    this.minAllocatable = minAllocatable;
    this.places = new GangPlacement(kinds, agents, roles, subs, ledger);
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
    Map<String, GangEntry> old = new HashMap<>();
    for (GangEntry e : byFramework.getOrDefault(framework, List.of())) {
      old.put(e.demand.id(), e);
    }
    List<GangEntry> next = new ArrayList<>();
    for (Demand d : demands) {
      GangEntry kept = old.remove(d.id());
      if (kept != null && same(kept.demand, d)) {
        next.add(kept);
      } else {
        if (kept != null) {
          release(kept);
        }
        next.add(new GangEntry(framework, d, subOf.get(d.id()), seq++, now, kinds.toArray(d.member())));
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
    withUnfit.remove(framework);
    for (GangEntry e : byFramework.getOrDefault(framework, List.of())) {
      boolean plain = e.state == null || e.state == State.EXPIRED;
      // A member no agent could ever hold would stop every offer to the framework, even those
      // its other work could use and those it reports as too small: it sets no minimum.
      e.fitsNoAgent = plain && !fitsSomeAgent(e.member);
      if (e.fitsNoAgent) {
        withUnfit.add(framework);
      } else if (plain) {
        smallest.merge(e.sub, e.member.clone(), (min, m) -> {
          for (int k = 0; k < STRIDE; k++) {
            min[k] = Math.min(min[k], m[k]);
          }
          return min;
        });
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
    for (GangEntry e : byFramework.getOrDefault(framework, List.of())) {
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
    withUnfit.remove(framework);
    List<GangEntry> gone = byFramework.remove(framework);
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
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
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
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
        Integer n = e.held.remove(a);
        long[] part = e.partial.remove(a);
        if (n != null) {
          ledger.unhold(e.sub, a, places.times(e.member, n));
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

  private void release(GangEntry e) {
    for (Map.Entry<Integer, Integer> h : e.held.entrySet()) {
      ledger.unhold(e.sub, h.getKey(), places.times(e.member, h.getValue()));
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

  private void releasePartial(GangEntry e) {
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
      places.grow(holder);
      if (holder.heldCount() >= holder.demand.gang().minMember()) {
        offer(holder, out);
        holder = null;
      } else if (!holding(holder).equals(before)) {
        holder.state = holder.holds() ? State.HELD : State.WAITING;
        changed(holder);
      }
    }
    for (GangEntry e : ordered()) {
      if (e == holder) {
        continue;
      }
      int fit = places.place(e, e.demand.count(), false);
      if (fit >= e.demand.gang().minMember()) {
        places.place(e, e.demand.count(), true);
        offer(e, out);
      } else if (holder == null) {
        holder = e;
        places.grow(e);
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

  /** A summary of what the gang holds, to tell whether a cycle changed it. */
  private static String holding(GangEntry e) {
    StringBuilder b = new StringBuilder(e.held.toString());
    e.partial.forEach((a, got) -> b.append(a).append(java.util.Arrays.toString(got)));
    return b.toString();
  }

  /** Waiting gangs of subscriptions that can take offers: roles by weighted share, then oldest first. */
  private List<GangEntry> ordered() {
    List<GangEntry> out = new ArrayList<>();
    Map<RoleNode, Double> share = new HashMap<>();
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
        if (e.waits() && subs.eligible[e.sub]) {
          out.add(e);
          RoleNode node = subs.role[e.sub];
          share.computeIfAbsent(node, n -> n.parent.children.share(n.clientInParent));
        }
      }
    }
    out.sort(Comparator.<GangEntry>comparingDouble(e -> share.get(subs.role[e.sub]))
        .thenComparingLong(e -> e.seq));
    return out;
  }

  private void expire(Instant now) {
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
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

  private void offer(GangEntry e, List<Pending> out) {
    releasePartial(e);
    e.fitting = e.heldCount();
    for (Map.Entry<Integer, Integer> h : e.held.entrySet()) {
      out.add(new Pending(e, h.getKey(), places.times(e.member, h.getValue())));
    }
    e.held.clear();
    e.state = State.OFFERED;
    e.reason = null;
    changed(e);
  }

  /** The earliest timeout of a waiting gang, or null. */
  Instant nextDeadline() {
    Instant next = null;
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
        if (e.waits() && (next == null || e.deadline().isBefore(next))) {
          next = e.deadline();
        }
      }
    }
    return next;
  }

  // Placement.

  /** Why a gang could never be offered; see {@link GangPlacement#refusal}. */
  String refusal(String roleName, Resources member, int minMember, List<MemberConstraint> constraints) {
    return places.refusal(roleName, member, minMember, constraints);
  }

  // Introspection.

  /** Sets how many members of a waiting gang fit now and what blocks the rest. */
  private void explain(GangEntry e) {
    int fit = places.place(e, e.demand.count() - e.heldCount(), false);
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
      why.add("waits on agents " + on + " for room for a member: what frees up there is held for the gang");
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

  DemandStatus status(GangEntry e) {
    if (e.waits()) {
      explain(e);
    }
    Map<AgentId, Resources> held = new LinkedHashMap<>();
    e.held.forEach((a, n) -> held.put(agents.ids[a], places.times(e.member, n)));
    e.partial.forEach((a, got) -> held.merge(agents.ids[a], kinds.toResources(got, 0), Resources::plus));
    held.values().removeIf(Resources::isEmpty);
    String reason = e.reason;
    if (e.state == null && e.fitsNoAgent) {
      reason = "no registered agent could ever hold one member (" + kinds.toResources(e.member, 0)
          + "); it sets no minimum offer";
    }
    return new DemandStatus(e.framework, e.demand, e.state, held, e.state == null ? 0 : e.fitting,
        reason, e.since);
  }

  List<DemandStatus> statuses(FrameworkId framework) {
    List<DemandStatus> out = new ArrayList<>();
    for (GangEntry e : byFramework.getOrDefault(framework, List.of())) {
      out.add(status(e));
    }
    return out;
  }

  /** Resources held by gangs, by role. */
  Map<String, Resources> heldByRole() {
    Map<String, Resources> out = new TreeMap<>();
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
        if (!e.held.isEmpty()) {
          out.merge(subs.role[e.sub].name, places.times(e.member, e.heldCount()), Resources::plus);
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
    for (List<GangEntry> list : byFramework.values()) {
      for (GangEntry e : list) {
        if (e.state != null) {
          out.merge(e.state, 1, Integer::sum);
        }
      }
    }
    return out;
  }

  private void changed(GangEntry e) {
    listener.gangChanged(status(e));
  }

}
