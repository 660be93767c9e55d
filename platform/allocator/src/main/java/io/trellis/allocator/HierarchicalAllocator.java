package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.allocator.Subscriptions.Framework;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.core.role.Role;
import io.trellis.core.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hierarchical weighted-DRF allocator: roles first (by weighted dominant share, within the
 * role hierarchy), then frameworks within a role, with quota guarantees met before fair sharing
 * and quota limits never exceeded.
 */
public final class HierarchicalAllocator implements Allocator {
  private final AllocatorConfig config;
  private final InstantSource clock;
  private final Timer timer;
  private final OfferListener listener;
  private final String offerPrefix;

  private final Kinds kinds = new Kinds();
  private final Agents agents = new Agents();
  private final Roles roles = new Roles(kinds);
  private final Subscriptions subs = new Subscriptions();
  private final Filters filters = new Filters();
  private final Ledger ledger = new Ledger(kinds, agents, roles, subs, filters);
  private final boolean[] excluded = new boolean[STRIDE];
  /** Scratch row for what a new filter refuses; the filters copy it. */
  private final long[] refused = new long[STRIDE];
  private final PreemptionHolds holds = new PreemptionHolds();
  private final PreemptionView preemption =
      new PreemptionView(kinds, agents, roles, subs, holds, this::requestCycle);
  private final AllocationCycle cycle;
  private final ReasonFinder reasons;
  private final Gangs gangs;

  private final OutstandingOffers offers = new OutstandingOffers();
  private final OfferShapes shapes = new OfferShapes(kinds);
  private long offerCounter;
  private int rotation;
  private boolean cyclePending;
  private Timer.Cancellable wake;
  private Instant wakeAt;

  public HierarchicalAllocator(AllocatorConfig config, InstantSource clock, Timer timer,
      OfferListener listener) {
    this(config, clock, timer, listener, Long.toString(clock.millis(), 36) + "-O");
  }

  /** {@code offerPrefix} starts every offer id, so ids stay unique across allocator instances. */
  public HierarchicalAllocator(AllocatorConfig config, InstantSource clock, Timer timer,
      OfferListener listener, String offerPrefix) {
    this.config = config;
    this.clock = clock;
    this.timer = timer;
    this.listener = listener;
    this.offerPrefix = offerPrefix;
    for (String name : config.fairnessExcluded()) {
      excluded[kinds.register(name)] = true;
    }
    this.cycle = new AllocationCycle(kinds, agents, roles, subs, filters, ledger.unreservedFree,
        config.minAllocatable(), config.fairOffers(), ledger.clusterTotal, excluded);
    this.cycle.holds = holds;
    this.reasons = new ReasonFinder(kinds, agents, roles, subs, filters, offers, ledger.unreservedFree);
    this.gangs = new Gangs(kinds, agents, roles, subs, ledger, reasons, listener, config.minAllocatable());
  }

  // Agents.

  @Override
  public void addAgent(AgentId id, String hostname, Resources total, Attributes attributes,
      List<Allocation> used) {
    if (agents.contains(id)) {
      throw new IllegalArgumentException("agent " + id + " is already registered");
    }
    kinds.registerAll(total);
    Resources usedSum = Resources.empty();
    for (Allocation u : used) {
      usedSum = usedSum.plus(u.resources());
    }
    if (!total.contains(usedSum)) {
      throw new IllegalArgumentException("agent " + id + " reports used resources " + usedSum
          + " beyond its total " + total);
    }
    int a = agents.add(id);
    filters.ensureAgents(agents.capacity);
    offers.ensureAgents(agents.capacity);
    shapes.ensureAgents(agents.capacity);
    agents.hostnames[a] = hostname;
    agents.attributes[a] = attributes == null ? Attributes.NONE : attributes;
    ledger.setTotal(a, total);
    for (Allocation u : used) {
      int s = subscriptionFor(u.frameworkId(), u.role());
      ledger.take(s, a, u.resources());
    }
    gangs.agentAdded();
    requestCycle();
  }

  @Override
  public void updateAgent(AgentId id, Resources total) {
    int a = agents.slot(id);
    kinds.registerAll(total);
    gangs.agentGone(a);
    Resources held = offers.offeredOn(a);
    for (int i = 0; i < agents.inUse[a].size(); i++) {
      held = held.plus(agents.inUse[a].value(i));
    }
    if (!total.contains(held)) {
      throw new IllegalArgumentException("agent " + id + " cannot shrink to " + total
          + ": frameworks hold " + held);
    }
    ledger.dropTotal(a);
    ledger.setTotal(a, total);
    // What frameworks hold stays theirs.
    ledger.holdBack(a, held);
    filters.freeGrew(a, agents.free, a * STRIDE);
    requestCycle();
  }

  @Override
  public void removeAgent(AgentId id) {
    int a = agents.slot(id);
    rescindOn(a, "agent " + id + " was removed");
    gangs.agentGone(a);
    for (int i = 0; i < agents.inUse[a].size(); i++) {
      int s = agents.inUse[a].sub(i);
      roles.charge(subs.role[s], subs.client[s], kinds.toArray(agents.inUse[a].value(i)), false);
    }
    ledger.dropTotal(a);
    filters.clearAgent(a);
    shapes.forget(a);
    holds.clearAgent(a);
    agents.remove(a);
    requestCycle();
  }

  @Override
  public void setMaintenance(AgentId id, boolean underMaintenance) {
    int a = agents.slot(id);
    if (agents.maintenance[a] == underMaintenance) {
      return;
    }
    if (underMaintenance) {
      rescindOn(a, "agent " + id + " entered maintenance");
      gangs.agentGone(a);
      ledger.maintenance(a, -1);
    } else {
      ledger.maintenance(a, 1);
      requestCycle();
    }
    agents.maintenance[a] = underMaintenance;
  }

  // Frameworks.

  @Override
  public void addFramework(FrameworkId id, Set<String> roleNames, boolean active) {
    if (roleNames.isEmpty()) {
      throw new IllegalArgumentException("framework " + id + " must subscribe to at least one role");
    }
    roleNames.forEach(Role::validate);
    Framework f = subs.frameworks.get(id);
    if (f != null && !f.recovered) {
      throw new IllegalArgumentException("framework " + id + " is already registered");
    }
    if (f == null) {
      f = new Framework(id);
      subs.frameworks.put(id, f);
    }
    f.recovered = false;
    f.active = active;
    f.roles = Set.copyOf(roleNames);
    for (String r : roleNames) {
      if (!f.subs.containsKey(r)) {
        newSubscription(f, r);
      }
    }
    for (int s : f.subs.values()) {
      refreshEligibility(s);
    }
    requestCycle();
  }

  private int newSubscription(Framework f, String roleName) {
    RoleNode node = roles.getOrCreate(roleName);
    if (node.selfClient < 0) {
      node.selfClient = node.addChild(null, 1.0);
    }
    int s = subs.add(f, node);
    subs.client[s] = node.addFramework(s);
    node.frameworks.setPriority(subs.client[s], f.priority);
    node.ownSubs++;
    filters.ensureSubs(subs.capacity());
    ledger.totalsDirty = true;
    return s;
  }

  /** The subscription for resources agents report before their framework re-subscribes. */
  private int subscriptionFor(FrameworkId id, String roleName) {
    Framework f = subs.frameworks.get(id);
    if (f == null) {
      f = new Framework(id);
      f.recovered = true;
      subs.frameworks.put(id, f);
    }
    Integer s = f.subs.get(roleName);
    return s != null ? s : newSubscription(f, roleName);
  }

  @Override
  public void removeFramework(FrameworkId id) {
    Framework f = subs.framework(id);
    gangs.removeFramework(id);
    for (OutstandingOffers.Entry rec : offers.all()) {
      if (subs.framework[rec.sub] == f) {
        withdraw(rec, "framework " + id + " was removed", true);
      }
    }
    for (int s : f.subs.values()) {
      for (int a = 0; a < agents.limit; a++) {
        if (agents.live[a] && agents.inUse[a].get(s) != null) {
          ledger.release(s, a, agents.inUse[a].get(s));
          requestCycle();
        }
      }
      if (subs.eligible[s]) {
        subs.eligible[s] = false;
        roles.eligibilityChanged(subs.role[s], subs.client[s], false);
      }
      filters.clearSub(s);
      RoleNode node = subs.role[s];
      node.frameworks.remove(subs.client[s]);
      node.ownSubs--;
      subs.remove(s);
    }
    subs.frameworks.remove(id);
    requestCycle();
  }

  @Override
  public void setActive(FrameworkId id, boolean active) {
    Framework f = subs.framework(id);
    f.active = active;
    if (!active) {
      withdrawAll(f, "framework " + id + " disconnected", true);
    }
    f.subs.values().forEach(this::refreshEligibility);
    gangs.releaseIneligible();
    requestCycle();
  }

  @Override
  public void withdrawOffers(FrameworkId id) {
    withdrawAll(subs.framework(id), "framework " + id + " subscribed again", false);
    requestCycle();
  }

  /** Takes back the framework's offers; gangs whose offers were among them wait again. */
  private void withdrawAll(Framework f, String reason, boolean notify) {
    Set<String> gangsBack = new java.util.HashSet<>();
    for (OutstandingOffers.Entry rec : offers.all()) {
      if (subs.framework[rec.sub] == f) {
        if (rec.offer.gang() != null) {
          gangsBack.add(rec.offer.gang());
        }
        withdraw(rec, reason, notify);
      }
    }
    if (!gangsBack.isEmpty()) {
      gangs.waitAgain(f.id, gangsBack, clock.instant());
    }
  }

  @Override
  public void suppress(FrameworkId id, Set<String> roleNames) {
    for (int s : subsOf(id, roleNames)) {
      subs.suppressed[s] = true;
      refreshEligibility(s);
    }
    if (gangs.releaseIneligible()) {
      requestCycle();
    }
  }

  @Override
  public void revive(FrameworkId id, Set<String> roleNames) {
    for (int s : subsOf(id, roleNames)) {
      subs.suppressed[s] = false;
      filters.clearSub(s);
      refreshEligibility(s);
    }
    requestCycle();
  }

  @Override
  public void setMinimumOffer(FrameworkId id, String role, Resources need) {
    int s = subs.sub(id, role);
    kinds.registerAll(need);
    gangs.needSetExplicitly(s);
    subs.setNeed(s, need.scalars().isEmpty() ? null : kinds.toArray(need));
    requestCycle();
  }

  @Override
  public void setPriority(FrameworkId id, int priority) {
    Framework f = subs.framework(id);
    f.priority = priority;
    for (int s : f.subs.values()) {
      subs.role[s].frameworks.setPriority(subs.client[s], priority);
    }
    requestCycle();
  }

  @Override
  public void request(FrameworkId id, List<Demand> demands) {
    gangs.request(id, List.copyOf(demands), clock.instant());
    requestCycle();
  }

  @Override
  public String gangRefusal(String role, Resources member, int minMember, List<MemberConstraint> constraints) {
    return gangs.refusal(role, member, minMember, constraints);
  }

  @Override
  public List<DemandStatus> demands(FrameworkId id) {
    subs.framework(id);
    syncTotals();
    return gangs.statuses(id);
  }

  @Override
  public Map<String, Resources> heldByRole() {
    return gangs.heldByRole();
  }

  @Override
  public Map<DemandStatus.State, Integer> gangCounts() {
    return gangs.counts();
  }

  private List<Integer> subsOf(FrameworkId id, Set<String> roleNames) {
    Framework f = subs.framework(id);
    if (roleNames.isEmpty()) {
      return new ArrayList<>(f.subs.values());
    }
    List<Integer> out = new ArrayList<>();
    for (String r : roleNames) {
      out.add(subs.sub(id, r));
    }
    return out;
  }

  private void refreshEligibility(int s) {
    Framework f = subs.framework[s];
    boolean want = f.active && !f.recovered && f.roles.contains(subs.role[s].name)
        && !subs.suppressed[s];
    if (want != subs.eligible[s]) {
      subs.eligible[s] = want;
      roles.eligibilityChanged(subs.role[s], subs.client[s], want);
    }
  }

  // Roles.

  @Override
  public void setWeight(String role, double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of role " + role + " must be a positive number, got " + weight);
    }
    roles.setWeight(roles.getOrCreate(role), weight);
    requestCycle();
  }

  @Override
  public void setQuota(String role, Quota quota) {
    kinds.registerAll(quota.guarantee());
    kinds.registerAll(quota.limit());
    roles.setQuota(roles.getOrCreate(role), quota);
    requestCycle();
  }

  // Offers.

  @Override
  public void accept(OfferId id, Resources used, Duration refuseRemainder) {
    OutstandingOffers.Entry rec = offers.get(id);
    if (rec == null) {
      throw new IllegalArgumentException("unknown offer " + id);
    }
    if (!rec.offer.resources().contains(used)) {
      throw new IllegalArgumentException("offer " + id + " holds " + rec.offer.resources()
          + ", not " + used);
    }
    offers.remove(rec);
    Resources rest = rec.offer.resources().minus(used);
    if (!used.isEmpty()) {
      ledger.use(rec.sub, rec.agent, used);
    }
    boolean refuse = refuseRemainder != null && refuseRemainder.compareTo(Duration.ZERO) > 0;
    long[] refused = refuse ? refusedWith(rec, rest) : null;
    if (!rest.isEmpty()) {
      giveBack(rec.sub, rec.agent, rest);
    }
    if (refuse && filters.add(rec.sub, rec.agent, clock.instant().plus(refuseRemainder), refused,
        agents.free, rec.agent * STRIDE)) {
      scheduleWake();
    }
  }

  /**
   * What a new filter refuses: the resources declined now, plus the free resources the
   * subscription already refused on the agent (an earlier decline there). Resources freed since
   * the offer was made are not in it: the framework has not seen them.
   */
  private long[] refusedWith(OutstandingOffers.Entry rec, Resources rest) {
    long[] refused = this.refused;
    kinds.toArray(rest, true, refused, 0);
    long[] earlier = filters.refused(rec.sub, rec.agent);
    if (earlier != null) {
      int base = rec.agent * STRIDE;
      for (int k = 0; k < STRIDE; k++) {
        refused[k] += Math.min(earlier[k], agents.free[base + k]);
      }
    }
    return refused;
  }

  @Override
  public void decline(OfferId id, Duration refuse) {
    accept(id, Resources.empty(), refuse);
  }

  @Override
  public void rescind(OfferId id, String reason) {
    OutstandingOffers.Entry rec = offers.get(id);
    if (rec == null) {
      throw new IllegalArgumentException("unknown offer " + id);
    }
    withdraw(rec, reason, true);
  }

  @Override
  public void release(FrameworkId framework, String role, AgentId agent, Resources resources) {
    int s = subs.sub(framework, role);
    int a = agents.slot(agent);
    // Only resources in use can be released; offered ones go back by accept, decline or rescind.
    Resources inUse = agents.inUse[a].get(s);
    inUse = inUse == null ? Resources.empty() : inUse;
    if (!inUse.contains(resources)) {
      throw new IllegalArgumentException("framework " + framework + " uses "
          + (inUse.isEmpty() ? "nothing" : inUse) + " under role " + role + " on agent " + agent
          + ", cannot release " + resources);
    }
    ledger.release(s, a, resources);
    requestCycle();
  }

  private void withdraw(OutstandingOffers.Entry rec, String reason, boolean notify) {
    offers.remove(rec);
    giveBack(rec.sub, rec.agent, rec.offer.resources());
    if (notify) {
      listener.rescinded(rec.offer, reason);
    }
  }

  private void rescindOn(int a, String reason) {
    for (OutstandingOffers.Entry rec : offers.onAgent(a)) {
      withdraw(rec, reason, true);
    }
  }

  /** Resources of an offer become free again, and a cycle will offer them. */
  private void giveBack(int s, int a, Resources r) {
    ledger.giveBack(s, a, r);
    requestCycle();
  }

  // The cycle.

  @Override
  public List<Offer> allocate() {
    Instant now = clock.instant();
    filters.expire(now);
    holds.expire(now);
    for (var rec = offers.pollTimedOut(now); rec != null; rec = offers.pollTimedOut(now)) {
      withdraw(rec, "offer timed out after " + config.offerTimeout(), true);
    }
    syncTotals();
    List<Gangs.Pending> together = gangs.run(now);
    cycle.run(rotation++);
    holds.granted(cycle, subs);
    List<Offer> made = materialize(now);
    if (!together.isEmpty()) {
      made.addAll(0, gangOffers(together, now));
    }
    scheduleWake();
    if (!made.isEmpty()) {
      listener.offered(made);
    }
    return made;
  }

  private List<Offer> materialize(Instant now) {
    // A later pass may add to what an earlier one offered the same subscription on the same agent.
    Map<Long, Integer> merged = cycle.repeats ? new HashMap<>() : null;
    List<Offer> out = new ArrayList<>(cycle.count);
    Instant expires = config.offerTimeout() == null ? null : now.plus(config.offerTimeout());
    for (int i = 0; i < cycle.count; i++) {
      int s = cycle.sub[i];
      int a = cycle.agent[i];
      Resources r = shapes.of(a, cycle.scalars, i * STRIDE, cycle.ranges[i]);
      if (cycle.reserved[i] != null) {
        r = r.plus(cycle.reserved[i]);
      }
      Integer earlier = merged == null ? null : merged.putIfAbsent(((long) s << 32) | a, out.size());
      if (earlier != null) {
        Offer first = out.get(earlier);
        offers.remove(offers.get(first.id()));
        r = r.plus(first.resources());
      }
      Offer offer = record(s, a, r, now, expires, null);
      if (earlier != null) {
        out.set(earlier, offer);
      } else {
        out.add(offer);
      }
    }
    return out;
  }

  /** Turns the holds of the gangs offered in this cycle into offers, with each agent's free ports. */
  private List<Offer> gangOffers(List<Gangs.Pending> together, Instant now) {
    List<Offer> out = new ArrayList<>(together.size());
    Instant expires = config.offerTimeout() == null ? null : now.plus(config.offerTimeout());
    for (Gangs.Pending p : together) {
      int s = p.entry().sub;
      int a = p.agent();
      Resources r = p.resources().plus(agents.freeRanges[a]);
      agents.freeRanges[a] = Resources.empty();
      out.add(record(s, a, r, now, expires, p.entry().demand.id()));
    }
    return out;
  }

  private Offer record(int s, int a, Resources r, Instant now, Instant expires, String gang) {
    Offer offer = new Offer(new OfferId(offerPrefix + (++offerCounter)), subs.framework[s].id,
        subs.role[s].name, agents.ids[a], agents.hostnames[a], r, now, gang);
    offers.add(offer, s, a, expires);
    return offer;
  }

  private void requestCycle() {
    if (!cyclePending) {
      cyclePending = true;
      timer.schedule(config.batchDelay(), () -> {
        cyclePending = false;
        allocate();
      });
    }
  }

  /** Keeps one timer armed for the next filter expiry or offer timeout. */
  private void scheduleWake() {
    Instant next = earliest(filters.nextExpiry(), holds.nextExpiry());
    Instant deadline = gangs.nextDeadline();
    if (deadline != null && (next == null || deadline.isBefore(next))) {
      next = deadline;
    }
    Instant timeout = offers.nextTimeout();
    if (timeout != null && (next == null || timeout.isBefore(next))) {
      next = timeout;
    }
    if (next == null || (wakeAt != null && !next.isBefore(wakeAt))) {
      return;
    }
    if (wake != null) {
      wake.cancel();
    }
    wakeAt = next;
    wake = timer.schedule(Duration.between(clock.instant(), next), () -> {
      wake = null;
      wakeAt = null;
      allocate();
    });
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || (b != null && b.isBefore(a)) ? b : a;
  }

  // Introspection.

  /** What preemption reads from this allocator, and its holds of freed resources. */
  public PreemptionView preemption() {
    return preemption;
  }

  @Override
  public List<Reason> explain(FrameworkId framework, String role) {
    syncTotals();
    return reasons.explain(subs.sub(framework, role), clock.instant(), config.minAllocatable());
  }

  @Override
  public double roleShare(String role) {
    syncTotals();
    RoleNode node = roles.find(role);
    if (node == null) {
      throw new IllegalArgumentException("unknown role " + role);
    }
    return node.parent.children.share(node.clientInParent);
  }

  @Override
  public double frameworkShare(FrameworkId framework, String role) {
    syncTotals();
    int s = subs.sub(framework, role);
    return subs.role[s].frameworks.share(subs.client[s]);
  }

  @Override
  public Resources allocated(FrameworkId framework, String role) {
    int s = subs.sub(framework, role);
    Resources sum = Resources.empty();
    for (int a = 0; a < agents.limit; a++) {
      if (agents.live[a]) {
        Resources used = agents.inUse[a].get(s);
        if (used != null) {
          sum = sum.plus(used);
        }
        Resources offered = offers.offered(s, a);
        if (offered != null) {
          sum = sum.plus(offered);
        }
      }
    }
    return sum;
  }

  @Override
  public List<Offer> outstandingOffers() {
    return offers.offers();
  }

  private void syncTotals() {
    if (ledger.totalsDirty) {
      roles.syncTotals(ledger.clusterTotal, excluded);
      ledger.totalsDirty = false;
    }
  }

  /** Scalar totals of the cluster. */
  public Resources clusterTotal() {
    return kinds.toResources(ledger.clusterTotal, 0);
  }
}
