package io.trellis.master;

import io.trellis.allocator.Allocation;
import io.trellis.allocator.AllocatorConfig;
import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.Offer;
import io.trellis.allocator.OfferListener;
import io.trellis.api.AgentProtocol;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's state and decisions: frameworks, agents, tasks and the allocator. Every method
 * runs on the {@link EventLoop}; the HTTP layer submits calls to it.
 */
public final class Master {
  private static final Logger log = LoggerFactory.getLogger(Master.class);

  final String masterId;
  final MasterConfig config;
  final EventLoop loop;
  final InstantSource clock;
  final HierarchicalAllocator allocator;
  final MasterMetrics metrics;
  private final AgentClient agentClient;
  final Map<FrameworkId, FrameworkState> frameworks = new LinkedHashMap<>();
  final Map<AgentId, AgentState> agents = new LinkedHashMap<>();
  /** The ids of the reachable agents, published for {@link #mayHeartbeat}; written on the loop only. */
  private final Set<String> heartbeating = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final Map<String, TaskRecord> tasks = new LinkedHashMap<>();
  /** The latest finished tasks no longer tracked, newest last, for the operator's view. */
  final java.util.ArrayDeque<TaskRecord> completed = new java.util.ArrayDeque<>();
  /** What changed, for people watching the cluster. */
  public final ClusterEvents events;
  /** The last hour, sampled, for the UI's charts. */
  final ClusterHistory history = new ClusterHistory();
  private static final int COMPLETED_KEPT = 1000;
  private final Map<OfferId, Offer> offers = new HashMap<>();
  final Tasks taskLogic;
  private final Accepts accepts;
  final Preemptions preemptions;
  final Requests requests;
  /** The address this master serves on, once bound. */
  volatile String endpoint;
  /** Weights and quotas set by operators, as they were given. */
  final Map<String, RoleSettings> roles = new LinkedHashMap<>();

  /**
   * An operator's settings for one role.
   *
   * @param preemptible false: the role's tasks are never preemption victims
   */
  public record RoleSettings(double weight, io.trellis.core.role.Quota quota, boolean preemptible) {}

  final io.trellis.master.state.StateStore store;
  /** This master's hold on the leadership: it acts only while it holds. */
  final Tenure tenure;
  /** Re-registration of the agents an earlier leader recorded. */
  private final Recovery recovery;

  public Master(String masterId, MasterConfig config, EventLoop loop, InstantSource clock,
      AgentClient agentClient, MasterMetrics metrics, io.trellis.master.state.StateStore store) {
    this(masterId, config, loop, clock, agentClient, metrics, store, Tenure.ALONE);
  }

  public Master(String masterId, MasterConfig config, EventLoop loop, InstantSource clock,
      AgentClient agentClient, MasterMetrics metrics, io.trellis.master.state.StateStore store, Tenure tenure) {
    this.store = store;
    this.tenure = tenure;
    this.recovery = new Recovery(clock, config.agentTimeout());
    this.masterId = masterId;
    this.config = config;
    this.loop = loop;
    this.clock = clock;
    this.events = new ClusterEvents(clock);
    this.agentClient = agentClient;
    this.metrics = metrics;
    this.allocator = new HierarchicalAllocator(
        AllocatorConfig.DEFAULTS.withOfferTimeout(config.offerTimeout()), clock,
        metrics.timedTimer(loop), new Listener(), masterId + "-O");
    this.taskLogic = new Tasks(this, agentClient);
    this.accepts = new Accepts(this, taskLogic);
    this.preemptions = new Preemptions(this, config.preemption());
    this.requests = new Requests(this);
  }

  /** Starts the periodic checks; call once, on any thread. */
  public void start() {
    loop.every(Duration.ofSeconds(1), () -> {
      if (!tenure.holds()) {
        log.debug("leadership not confirmed: no agent or launch is timed out meanwhile");
        return;
      }
      checkAgents();
      taskLogic.retireStuckLaunches(config.launchTimeout());
    });
    loop.every(config.preemption().interval(), () -> {
      if (tenure.holds()) {
        preemptions.run();
      }
    });
    loop.execute(() -> history.sample(this));
    loop.every(Duration.ofSeconds(ClusterHistory.EVERY_SECONDS), () -> history.sample(this));
    loop.every(config.heartbeatInterval(), () -> {
      for (FrameworkState f : frameworks.values()) {
        f.send(SchedulerEvent.heartbeat());
      }
    });
  }

  // Frameworks.

  /** SUBSCRIBE: registers or re-attaches a framework and opens its stream. */
  public FrameworkState subscribe(FrameworkInfo info, EventSink sink) {
    return subscribe(info, sink, null);
  }

  /**
   * SUBSCRIBE by {@code principal} (null on a master without security): a framework another
   * principal subscribed stays theirs.
   */
  FrameworkState subscribe(FrameworkInfo info, EventSink sink, String principal) {
    FrameworkState f = info.id() == null ? null : frameworks.get(FrameworkId.of(info.id()));
    if (f != null && f.principal != null && principal != null && !f.principal.equals(principal)) {
      throw new ApiException(403, "framework " + f.id + " was subscribed by principal '" + f.principal
          + "'; principal '" + principal + "' may not take it over");
    }
    if (f != null) {
      if (principal != null) {
        f.principal = principal;
      }
      if (f.sink != null && f.sink != sink) {
        f.sink.send(SchedulerEvent.error("framework " + f.id + " subscribed again on another stream"));
        f.sink.close();
      }
      if (f.failover != null) {
        f.failover.cancel();
        f.failover = null;
      }
      f.info = info;
      withdrawOffersOf(f.id);
      allocator.setPriority(f.id, info.priorityOrDefault());
      allocator.setActive(f.id, true);
      log.info("framework {} ({}) re-subscribed", f.id, info.name());
      events.info("framework", "framework " + info.name() + " (" + f.id + ") subscribed again");
    } else {
      FrameworkId id = FrameworkId.of(info.id() != null ? info.id() : "fw-" + UUID.randomUUID());
      f = new FrameworkState(id, info, clock.instant());
      f.principal = principal;
      f.onBroken = (fw, broken) -> disconnected(fw.id, broken);
      frameworks.put(id, f);
      allocator.addFramework(id, Set.copyOf(info.roles()), true);
      allocator.setPriority(id, info.priorityOrDefault());
      persist("frameworks", id.value(), new FrameworkInfo(id.value(), info.name(), info.user(), info.roles(),
          info.failoverTimeoutSeconds(), info.hostname(), info.priority(), info.webuiUrl()));
      log.info("framework {} ({}) subscribed with roles {}", id, info.name(), info.roles());
      events.info("framework", "framework " + info.name() + " (" + id + ") subscribed with roles " + info.roles());
    }
    f.sink = sink;
    f.streamId = UUID.randomUUID().toString();
    f.send(SchedulerEvent.subscribed(new SchedulerEvent.Subscribed(f.id.value(),
        config.heartbeatInterval().toMillis() / 1000.0, masterId)));
    return f;
  }

  public EventLoop loop() {
    return loop;
  }

  public MasterMetrics metrics() {
    return metrics;
  }

  /** A status update from an agent. */
  public void agentUpdate(AgentProtocol.Update update) {
    taskLogic.update(update);
  }

  public FrameworkHandle subscribeHandle(FrameworkInfo info, EventSink sink) {
    return subscribeHandle(info, sink, null);
  }

  /** As {@link #subscribeHandle(FrameworkInfo, EventSink)}, by {@code principal} (null without security). */
  public FrameworkHandle subscribeHandle(FrameworkInfo info, EventSink sink, String principal) {
    FrameworkState f = subscribe(info, sink, principal);
    return new FrameworkHandle(f.id.value(), f.streamId);
  }

  /** Every scheduler call but SUBSCRIBE, from the framework's current stream. */
  public void handle(io.trellis.api.SchedulerCall call, String streamId) {
    handle(call, streamId, Map.of());
  }

  /**
   * Handles a call on a framework's stream.
   *
   * @param refused the tasks of an ACCEPT that the container policy refused for the caller, by
   *     task id, with the reason: they are not launched, their framework gets TASK_ERROR
   */
  public void handle(io.trellis.api.SchedulerCall call, String streamId, Map<String, String> refused) {
    FrameworkState f = framework(call.frameworkId(), streamId);
    switch (call.type()) {
      case SUBSCRIBE -> throw new ApiException(400, "SUBSCRIBE opens a stream; it is not a call on one");
      case ACCEPT -> accepts.accept(f, require(call.accept(), "accept"), refused);
      case DECLINE -> decline(f, require(call.decline(), "decline").offerIds(),
          call.decline().filters() == null ? null : call.decline().filters().refuseSeconds());
      case KILL -> taskLogic.kill(f, require(call.kill(), "kill").taskId());
      case ACKNOWLEDGE -> taskLogic.acknowledge(f, Tasks.acknowledgements(call));
      case RECONCILE -> taskLogic.reconcile(f, call.reconcile() == null ? List.of() : call.reconcile().tasks());
      case SUPPRESS -> allocator.suppress(f.id, roleSet(call.suppress()));
      case REVIVE -> allocator.revive(f.id, roleSet(call.revive()));
      case TEARDOWN -> teardown(f.id);
      case REQUEST -> requests.request(f, require(call.request(), "request"));
    }
  }

  private static <T> T require(T part, String field) {
    if (part == null) {
      throw new ApiException(422, "the call needs its '" + field + "' field",
          List.of(new io.trellis.api.ErrorBody.FieldError(field, "is required for this call type")));
    }
    return part;
  }

  private static Set<String> roleSet(io.trellis.api.SchedulerCall.Roles roles) {
    return roles == null || roles.roles() == null ? Set.of() : Set.copyOf(roles.roles());
  }

  /** The framework's stream closed: keep its tasks for its failover timeout. */
  public void disconnected(FrameworkId id, EventSink sink) {
    FrameworkState f = frameworks.get(id);
    if (f == null || f.sink != sink) {
      return;
    }
    f.sink = null;
    allocator.setActive(id, false);
    double timeout = f.info.failoverTimeoutSeconds() == null ? 0 : f.info.failoverTimeoutSeconds();
    log.info("framework {} disconnected; failover timeout {} s", id, timeout);
    events.warning("framework", "framework " + f.info.name() + " (" + id + ") disconnected; its tasks are kept for "
        + timeout + " s");
    f.failover = loop.schedule(Duration.ofMillis((long) (timeout * 1000)), () -> teardown(id));
  }

  public FrameworkState framework(String id, String streamId) {
    FrameworkState f = id == null ? null : frameworks.get(FrameworkId.of(id));
    if (f == null) {
      throw new ApiException(404, "unknown framework '" + id + "': subscribe first");
    }
    if (streamId != null && !streamId.equals(f.streamId)) {
      throw new ApiException(409, "stream " + streamId + " is not the current subscription of framework " + id);
    }
    return f;
  }

  /**
   * The principal that subscribed framework {@code id} on this leader: empty when the framework
   * is unknown, "" when no principal is known (a master without security, or a framework an
   * earlier leader registered that has not subscribed again).
   */
  public java.util.Optional<String> frameworkPrincipal(String id) {
    FrameworkState f = frameworks.get(FrameworkId.of(id));
    return f == null ? java.util.Optional.empty() : java.util.Optional.of(f.principal == null ? "" : f.principal);
  }

  public void teardown(FrameworkId id) {
    FrameworkState f = frameworks.remove(id);
    if (f == null) {
      return;
    }
    for (TaskRecord t : new ArrayList<>(tasks.values())) {
      if (t.frameworkId.equals(id)) {
        taskLogic.frameworkRemoved(t);
        forgetTask(t);
      }
    }
    offers.values().removeIf(o -> o.frameworkId().equals(id));
    allocator.removeFramework(id);
    requests.refreshMetrics();
    unpersist("frameworks", id.value());
    if (f.sink != null) {
      f.sink.close();
    }
    log.info("framework {} torn down", id);
  }

  // Offers.

  Offer offer(FrameworkState f, String offerId) {
    Offer o = offerId == null ? null : offers.get(OfferId.of(offerId));
    return o != null && o.frameworkId().equals(f.id) ? o : null;
  }

  /**
   * Takes back, without a refuse filter, the offers a framework holds from an earlier stream: a
   * framework that subscribes again has forgotten them, and they would otherwise sit idle until
   * the offer timeout.
   */
  private void withdrawOffersOf(FrameworkId id) {
    List<OfferId> held = new ArrayList<>();
    offers.forEach((offerId, o) -> {
      if (o.frameworkId().equals(id)) {
        held.add(offerId);
      }
    });
    held.forEach(offers::remove);
    allocator.withdrawOffers(id);
    if (!held.isEmpty()) {
      log.info("framework {} subscribed again: {} offers of its earlier stream taken back", id, held.size());
    }
  }

  void forgetOffer(OfferId id) {
    offers.remove(id);
  }

  public void decline(FrameworkState f, List<String> offerIds, Double refuseSeconds) {
    for (String id : offerIds) {
      Offer o = offer(f, id);
      if (o != null) {
        offers.remove(o.id());
        allocator.decline(o.id(), refuse(refuseSeconds));
      }
    }
  }

  Duration refuse(Double seconds) {
    return seconds == null ? config.defaultRefuse() : Duration.ofMillis((long) (seconds * 1000));
  }

  private final class Listener implements OfferListener {
    @Override
    public void offered(List<Offer> made) {
      Map<FrameworkId, List<OfferInfo>> byFramework = new LinkedHashMap<>();
      for (Offer o : made) {
        offers.put(o.id(), o);
        AgentState a = agents.get(o.agentId());
        byFramework.computeIfAbsent(o.frameworkId(), k -> new ArrayList<>()).add(new OfferInfo(
            o.id().value(), o.frameworkId().value(), o.agentId().value(), o.hostname(), o.role(),
            o.resources().toString(), a == null ? Map.of() : a.attributes.values(), o.gang()));
      }
      metrics.offers(made.size());
      byFramework.forEach((id, list) -> {
        FrameworkState f = frameworks.get(id);
        if (f != null) {
          f.send(SchedulerEvent.offers(list));
        }
      });
    }

    @Override
    public void rescinded(Offer offer, String reason) {
      offers.remove(offer.id());
      FrameworkState f = frameworks.get(offer.frameworkId());
      if (f != null) {
        f.send(SchedulerEvent.rescind(offer.id().value()));
      }
    }

    @Override
    public void gangChanged(io.trellis.allocator.DemandStatus status) {
      requests.changed(status);
    }
  }

  // Roles.

  public void setRole(String role, Double weight, io.trellis.core.role.Quota quota) {
    setRole(role, weight, quota, null);
  }

  /** Changes what is given ({@code null}: unchanged) of a role's weight, quota and preemptibility. */
  public void setRole(String role, Double weight, io.trellis.core.role.Quota quota, Boolean preemptible) {
    io.trellis.core.role.Role.validate(role);
    RoleSettings old = roles.getOrDefault(role, new RoleSettings(1.0, io.trellis.core.role.Quota.NONE, true));
    RoleSettings next = new RoleSettings(weight == null ? old.weight() : weight, quota == null ? old.quota() : quota,
        preemptible == null ? old.preemptible() : preemptible);
    // Stored first: a write that fails leaves the role as it was.
    persist("roles", role, new StoredRole(next.weight(), next.quota().guarantee().toString(),
        next.quota().limit().toString(), next.preemptible()));
    allocator.setWeight(role, next.weight());
    allocator.setQuota(role, next.quota());
    roles.put(role, next);
    log.info("role {}: weight {}, quota guarantee '{}' limit '{}'{}", role, next.weight(),
        next.quota().guarantee(), next.quota().limit(), next.preemptible() ? "" : ", not preemptible");
  }

  // Agents.

  /** An agent registers or re-registers; returns its id. */
  public AgentProtocol.Registered register(AgentProtocol.Register r) {
    Resources total = Resources.parse(r.resources());
    Attributes attributes = new Attributes(r.attributes() == null ? Map.of() : r.attributes());
    AgentId id = AgentId.of(r.agentId() != null ? r.agentId() : "agent-" + UUID.randomUUID());
    AgentState a = agents.get(id);
    boolean inAllocator = a != null && a.reachable;
    if (a == null) {
      a = new AgentState(id, clock.instant());
      agents.put(id, a);
    }
    a.hostname = r.hostname();
    a.endpoint = r.endpoint();
    a.attributes = attributes;
    a.lastSeen = clock.instant();
    if (inAllocator) {
      allocator.removeAgent(id);
    }
    a.total = total;
    a.reachable = true;
    heartbeating.add(id.value());
    List<Allocation> used = taskLogic.reconcileAgent(a, r.tasks() == null ? List.of() : r.tasks());
    allocator.addAgent(id, a.hostname, total, attributes, used);
    persist("agents", id.value(), new StoredAgent(a.hostname, a.endpoint, total.toString(), attributes.values()));
    log.info("agent {} at {} registered with {}", id, a.endpoint, total);
    events.info("agent", "agent " + a.hostname + " (" + id + ") registered with " + total);
    recovery.registered(id);
    return new AgentProtocol.Registered(id.value(), masterId, config.heartbeatInterval().toMillis() / 1000.0,
        tenure.epoch());
  }

  /**
   * A heartbeat that reached the master at {@code arrived}: the agent counts as heard from then,
   * however long the heartbeat waited before this loop got to it. Returns false when the agent
   * is unknown and must register again.
   */
  public boolean heartbeat(String agentId, Instant arrived) {
    AgentState a = agentId == null ? null : agents.get(AgentId.of(agentId));
    if (a == null || !a.reachable) {
      return false;
    }
    if (arrived.isAfter(a.lastSeen)) {
      a.lastSeen = arrived;
    }
    return true;
  }

  /**
   * Whether the agent is registered and reachable, as far as heartbeats need to know: readable
   * from any thread, so that a heartbeat is answered without waiting for the loop. The loop alone
   * changes it, as it registers agents and finds them unreachable.
   */
  public boolean mayHeartbeat(String agentId) {
    return agentId != null && heartbeating.contains(agentId);
  }

  /** The master's clock, for stamping when a call arrived; readable from any thread. */
  public InstantSource clock() {
    return clock;
  }

  /** Whether recovery is over: every agent an earlier leader knew is back, or the agent timeout passed. */
  public boolean recovered() {
    return recovery.over();
  }

  private void checkAgents() {
    recovery.check();
    Instant now = clock.instant();
    Set<AgentId> silent = new java.util.HashSet<>();
    for (AgentState a : new ArrayList<>(agents.values())) {
      Duration quiet = Duration.between(a.lastSeen, now);
      if (a.reachable && quiet.compareTo(config.agentTimeout()) > 0) {
        log.warn("agent {} at {} silent for {} s: marking it unreachable", a.id, a.endpoint, quiet.toSeconds());
        events.warning("agent", "agent " + a.hostname + " (" + a.id + ") silent for " + quiet.toSeconds()
            + " s: unreachable");
        a.reachable = false;
        heartbeating.remove(a.id.value());
        metrics.agentUnreachable();
        allocator.removeAgent(a.id);
        silent.add(a.id);
      } else if (!a.reachable && quiet.compareTo(config.agentRemovalTimeout()) > 0) {
        log.warn("agent {} gone for {} s: removing it; its tasks are lost", a.id, quiet.toSeconds());
        events.warning("agent", "agent " + a.hostname + " (" + a.id + ") gone for " + quiet.toSeconds()
            + " s: removed, its tasks are lost");
        agents.remove(a.id);
        taskLogic.agentLost(a);
        for (FrameworkState f : frameworks.values()) {
          f.send(SchedulerEvent.failure("agent " + a.id + " at " + a.endpoint + " is lost: it stayed away "
              + "longer than " + config.agentRemovalTimeout().toSeconds() + " s; its tasks are LOST"));
        }
        unpersist("agents", a.id.value());
      }
    }
    if (!silent.isEmpty()) {
      // One pass over the tasks for every agent found silent: a thousand at once must not cost a
      // thousand passes (heartbeats wait meanwhile).
      taskLogic.agentsUnreachable(silent);
    }
  }

  AgentState agent(AgentId id) {
    return agents.get(id);
  }

  AgentClient agentClient() {
    return agentClient;
  }

  /** Stops tracking a task; a finished one stays visible among the completed tasks. */
  void forgetTask(TaskRecord t) {
    tasks.remove(TaskRecord.key(t.frameworkId, t.spec.taskId()));
    completed.addLast(t);
    while (completed.size() > COMPLETED_KEPT) {
      completed.removeFirst();
    }
  }

  // Durable state.

  /** @param preemptible null in roles stored before preemption: preemptible */
  record StoredRole(double weight, String guarantee, String limit, Boolean preemptible) {}

  record StoredAgent(String hostname, String endpoint, String resources, Map<String, String> attributes) {}

  private void persist(String collection, String id, Object value) {
    try {
      store.put(collection, id, io.trellis.api.Json.mapper().writeValueAsString(value));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (io.trellis.master.state.FencedException e) {
      throw deposed(e);
    } catch (io.trellis.master.state.EntityTooLargeException e) {
      throw new ApiException(413, "cannot record " + collection + " " + id + ": " + e.getMessage());
    } catch (io.trellis.master.state.StateStoreException e) {
      throw unsure("record " + collection + " " + id, e);
    }
  }

  private void unpersist(String collection, String id) {
    try {
      store.delete(collection, id);
    } catch (io.trellis.master.state.FencedException e) {
      throw deposed(e);
    } catch (io.trellis.master.state.StateStoreException e) {
      throw unsure("remove " + collection + " " + id, e);
    }
  }

  /**
   * A write that failed for another reason than fencing (ZooKeeper unreachable, the connection
   * lost mid-write, refused): whether it was stored is unknown, and so is whether this master
   * still leads. It steps down (the next leader, perhaps itself again, recovers from what is
   * stored) and the call that wrote fails with 503.
   */
  private ApiException unsure(String what, io.trellis.master.state.StateStoreException e) {
    log.error("master {} cannot {} in the state store; stepping down: {}", masterId, what, e.getMessage());
    if (tenure != Tenure.ALONE) {
      tenure.resign("a state store write failed: " + e.getMessage());
    }
    return new ApiException(503, "the state store (ZooKeeper) failed to " + what + ": " + e.getMessage()
        + "; this master stepped down: retry against the leader once ZooKeeper is reachable");
  }

  /**
   * A fenced write: a newer leader exists. This master resigns at once (it stops acting and its
   * streams close) and the call that wrote fails with 503, sending its caller to the leader.
   */
  private ApiException deposed(io.trellis.master.state.FencedException e) {
    log.error("master {} stepping down: {}", masterId, e.getMessage());
    tenure.resign(e.getMessage());
    return new ApiException(503, "this master is no longer the leader; retry against the leader");
  }

  /**
   * Loads what an earlier leader recorded: roles, frameworks (disconnected until they
   * re-subscribe within their failover timeout) and agents (unreachable until they re-register
   * with their tasks).
   */
  public void recover() {
    var json = io.trellis.api.Json.mapper();
    try {
      for (var e : store.getAll("roles").entrySet()) {
        StoredRole r = json.readValue(e.getValue().text(), StoredRole.class);
        setRole(e.getKey(), r.weight(), io.trellis.core.role.Quota.of(r.guarantee(), r.limit()),
            r.preemptible() == null || r.preemptible());
      }
      for (var e : store.getAll("frameworks").entrySet()) {
        FrameworkInfo info = json.readValue(e.getValue().text(), FrameworkInfo.class);
        FrameworkId id = FrameworkId.of(e.getKey());
        FrameworkState f = new FrameworkState(id, info, clock.instant());
        f.onBroken = (fw, broken) -> disconnected(fw.id, broken);
        frameworks.put(id, f);
        allocator.addFramework(id, Set.copyOf(info.roles()), false);
        allocator.setPriority(id, info.priorityOrDefault());
        double timeout = info.failoverTimeoutSeconds() == null ? 0 : info.failoverTimeoutSeconds();
        f.failover = loop.schedule(Duration.ofMillis((long) (timeout * 1000) + config.agentTimeout().toMillis()),
            () -> teardown(id));
      }
      for (var e : store.getAll("agents").entrySet()) {
        StoredAgent sa = json.readValue(e.getValue().text(), StoredAgent.class);
        AgentState a = new AgentState(AgentId.of(e.getKey()), clock.instant());
        a.hostname = sa.hostname();
        a.endpoint = sa.endpoint();
        a.total = Resources.parse(sa.resources());
        a.attributes = new Attributes(sa.attributes() == null ? Map.of() : sa.attributes());
        a.lastSeen = clock.instant();
        a.reachable = false;
        agents.put(a.id, a);
        recovery.expect(a.id);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("unreadable state in the state store: " + e.getMessage(), e);
    }
    log.info("recovered {} roles, {} frameworks and {} agents from the state store", roles.size(),
        frameworks.size(), agents.size());
    recordLeadership();
    recovery.start();
  }

  /** The leaders so far, oldest first: the last {@value #LEADERS_KEPT} terms. */
  record StoredLeader(long epoch, String masterId, String endpoint, double at) {}

  static final int LEADERS_KEPT = 20;
  final List<StoredLeader> leaders = new ArrayList<>();

  /** Adds this term to the stored history of leaders (keeping the last few) and says so. */
  private void recordLeadership() {
    var json = io.trellis.api.Json.mapper();
    List<String> stored = store.ids("leaders");
    for (String id : stored) {
      try {
        store.get("leaders", id).ifPresent(v -> {
          try {
            leaders.add(json.readValue(v.text(), StoredLeader.class));
          } catch (java.io.IOException e) {
            log.debug("leader entry {} is unreadable: {}", id, e.getMessage());
          }
        });
      } catch (io.trellis.master.state.StateStoreException e) {
        log.debug("leader entry {} cannot be read: {}", id, e.getMessage());
      }
    }
    StoredLeader self = new StoredLeader(tenure.epoch(), masterId, endpoint, clock.millis() / 1000.0);
    leaders.add(self);
    while (leaders.size() > LEADERS_KEPT) {
      leaders.remove(0);
    }
    // The history is for people: a failure to keep it must not stop the master from leading.
    try {
      // Ids sort as numbers: the epoch, zero-padded.
      store.put("leaders", String.format("%019d", tenure.epoch()), json.writeValueAsBytes(self));
      for (int i = 0; i < stored.size() + 1 - LEADERS_KEPT; i++) {
        store.delete("leaders", stored.get(i));
      }
    } catch (java.io.IOException | RuntimeException e) {
      log.info("the history of leaders was not updated ({}); the overview shows this term only", e.getMessage());
    }
    events.info("leader", "master " + masterId + " at " + endpoint + " leads (epoch " + tenure.epoch() + ")");
  }

  /** Leadership lost: close every stream so frameworks and agents look for the new leader. */
  public void abdicate() {
    for (FrameworkState f : frameworks.values()) {
      if (f.sink != null) {
        f.sink.close();
        f.sink = null;
      }
      if (f.failover != null) {
        f.failover.cancel();
      }
    }
  }

  // Tasks and updates.

  void forward(TaskRecord t, TaskStatus status) {
    FrameworkState f = frameworks.get(t.frameworkId);
    if (f != null) {
      f.send(SchedulerEvent.update(status));
    }
  }

  TaskStatus status(TaskRecord t, TaskState state, String reason, String message, Integer exitCode, String uuid) {
    return new TaskStatus(t.spec.taskId(), t.frameworkId.value(), t.agentId == null ? null : t.agentId.value(),
        state, reason, message, exitCode, uuid, clock.millis() / 1000.0, state.isTerminal() ? null : t.healthy);
  }

  /** A launch that never reached an agent: TASK_ERROR to the framework, nothing else changes. */
  void error(FrameworkState f, TaskSpec spec, String reason) {
    error(f, spec, "REASON_TASK_INVALID", reason);
  }

  /** Reports a task that will not be launched, with its reason code (such as REASON_TASK_UNAUTHORIZED). */
  void error(FrameworkState f, TaskSpec spec, String code, String reason) {
    f.send(SchedulerEvent.update(new TaskStatus(spec == null ? null : spec.taskId(), f.id.value(),
        spec == null ? null : spec.agentId(), TaskState.ERROR, code, reason, null, null,
        clock.millis() / 1000.0)));
    metrics.taskError();
  }
}
