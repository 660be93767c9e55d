package io.trellis.storm.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.DemandRequests;
import io.trellis.client.GangRetries;
import io.trellis.client.OperatorClient;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.StormView;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Trellis framework of Storm: it keeps as many supervisors running as Nimbus' topologies
 * need. Nimbus' scheduler hands it a {@link StormView} after every round; offers that fit a
 * wanted supervisor are accepted, the rest declined; offers are suppressed while nothing is
 * wanted and revived when a topology arrives or a supervisor is lost. After a restart it
 * subscribes with the stored framework id and adopts the supervisors still running.
 *
 * <p>One event thread owns every piece of mutable state; the client's callbacks, Nimbus'
 * scheduler and the cluster poller only submit events to it.
 */
public final class StormFramework implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StormFramework.class);

  private final FrameworkSettings settings;
  private final MasterDetector detector;
  private final io.trellis.security.ClientSecurity security;
  private final OperatorClient operator;
  private final FrameworkIdStore ids;
  private final OfferPlanner planner;
  private final SupervisorCommand command;
  private final Fleet fleet;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "storm-framework"));
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "storm-framework-poll"));
  private volatile Map<String, String> statuses = Map.of();
  private volatile Set<String> coming = Set.of();
  /** The supervisor tasks running or starting; {@code null} until the running ones are adopted. */
  private volatile Set<String> live;
  private volatile SchedulerClient client;
  private String frameworkId;
  private boolean adopted;
  /** Whether offers are suppressed; {@code null} right after subscribing (the master may remember either). */
  private Boolean suppressed;
  private List<Resources> agentTotals = List.of();
  private List<String> allocatorReasons = List.of();

  public StormFramework(FrameworkSettings settings, MasterDetector detector, FrameworkIdStore ids, InstantSource clock) {
    this(settings, detector, ids, clock, new SupervisorCommand(settings));
  }

  public StormFramework(FrameworkSettings settings, MasterDetector detector, FrameworkIdStore ids, InstantSource clock,
      SupervisorCommand command) {
    this(settings, detector, io.trellis.security.ClientSecurity.none(), ids, clock, command);
  }

  /** A framework calling the master with these credentials and TLS settings. */
  public StormFramework(FrameworkSettings settings, MasterDetector detector, io.trellis.security.ClientSecurity security,
      FrameworkIdStore ids, InstantSource clock, SupervisorCommand command) {
    this.settings = settings;
    this.detector = detector;
    this.security = security;
    this.operator = new OperatorClient(detector, security);
    this.ids = ids;
    this.planner = new OfferPlanner(settings.supervisor(), settings.slotsPerSupervisor());
    this.command = command;
    this.fleet = new Fleet(clock, settings.idleGrace(), Duration.ofSeconds(120));
  }

  /** Subscribes (again, with the stored id) and starts the event thread. */
  public void start() {
    String known = ids.read().orElse(null);
    FrameworkInfo info = new FrameworkInfo(known, settings.frameworkName(), settings.user(), List.of(settings.role()),
        (double) settings.failover().toSeconds(), null);
    client = SchedulerClient.start(detector, security, info, new Callbacks());
    loop.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    poller.scheduleWithFixedDelay(this::pollCluster, 0, 5, TimeUnit.SECONDS);
  }

  /** Nimbus' view after a scheduling round (called on Nimbus' thread). */
  public void view(StormView view) {
    loop.execute(() -> onView(view));
  }

  /** The waiting reason of a topology, or {@code null}. */
  public String status(String topologyId) {
    return statuses.get(topologyId);
  }

  /** Whether supervisors launched for the topology have yet to register. */
  public boolean supervisorsComing(String topologyId) {
    return coming.contains(topologyId);
  }

  /**
   * Whether a supervisor's task has ended (or is not this framework's). Nothing counts as ended
   * before the framework has adopted its running supervisors.
   */
  public boolean taskGone(String taskId) {
    Set<String> l = live;
    return l != null && !l.contains(taskId);
  }

  /** Stops without ending the supervisors: a restarted Nimbus adopts them. */
  @Override
  public void close() {
    poller.shutdownNow();
    loop.shutdownNow();
    if (client != null) {
      client.close();
    }
  }

  private void onSubscribed(String id) {
    boolean same = id.equals(frameworkId);
    frameworkId = id;
    suppressed = null;
    ids.write(id);
    if (!adopted) {
      adopt();
      adopted = true;
    }
    if (!same) {
      log.info("Storm framework subscribed to Trellis as {} under role {}", id, settings.role());
    }
    client.reconcile(List.of());
    reconsider();
  }

  /** Takes over the supervisors of this framework id that are still running. */
  private void adopt() {
    int n = 0;
    for (JsonNode t : operator.state().path("tasks")) {
      String state = t.path("state").asText();
      boolean live = !TaskState.valueOf(state).isTerminal();
      JsonNode labels = t.path("labels");
      if (live && frameworkId.equals(t.path("frameworkId").asText())
          && labels.has(SupervisorCommand.LABEL_TOPOLOGY_ID)) {
        fleet.adopted(t.path("id").asText(), t.path("agentId").asText(),
            labels.path(SupervisorCommand.LABEL_TOPOLOGY_ID).asText(),
            Integer.parseInt(labels.path(SupervisorCommand.LABEL_SLOTS).asText("1")));
        n++;
      }
    }
    if (n > 0) {
      log.info("adopted {} running supervisors", n);
    }
  }

  private void onView(StormView view) {
    for (SupervisorTask t : fleet.view(view)) {
      kill(t, "its topology " + t.topologyId() + " is gone or it never registered with Nimbus");
    }
    reconsider();
  }

  private void tick() {
    for (SupervisorTask t : fleet.idleToStop()) {
      kill(t, "no worker for " + settings.idleGrace().toSeconds() + " s and its topology has slots to spare");
    }
    coming = Set.copyOf(fleet.coming());
  }

  private void kill(SupervisorTask t, String why) {
    log.info("stopping supervisor task {} of topology {}: {}", t.taskId(), t.topologyId(), why);
    if (client != null) {
      client.kill(t.taskId(), t.agentId());
    }
  }

  private void onOffers(List<OfferInfo> offers) {
    if (!adopted || !fleet.hasView()) {
      client.decline(offers.stream().map(OfferInfo::id).toList(), 1.0);
      return;
    }
    OfferPlanner.Plan plan = planner.planByGang(offers, fleet.needs());
    Map<String, List<TaskSpec>> byOffer = new LinkedHashMap<>();
    for (OfferPlanner.Placement p : plan.placements()) {
      String taskId = "storm-supervisor-" + UUID.randomUUID().toString().substring(0, 8);
      byOffer.computeIfAbsent(p.offer().id(), k -> new ArrayList<>()).add(command.task(taskId, p));
      fleet.launched(taskId, p.offer().agentId(), p.topologyId(), p.slots());
      log.info("launching supervisor {} with {} worker slots for topology {} on agent {} ({})", taskId,
          p.slots(), p.topologyName(), p.offer().agentId(), p.offer().hostname());
    }
    for (Map.Entry<String, List<TaskSpec>> e : byOffer.entrySet()) {
      try {
        client.accept(List.of(e.getKey()), e.getValue(), settings.refuseSeconds());
      } catch (RuntimeException ex) {
        e.getValue().forEach(t -> fleet.ended(t.taskId()));
        log.warn("could not launch supervisors on offer {}: {}", e.getKey(), ex.getMessage());
      }
    }
    for (OfferPlanner.Decline d : plan.declines()) {
      log.debug("declining offer {}: {}", d.offer().id(), d.reason());
    }
    if (!plan.declines().isEmpty()) {
      client.decline(plan.declines().stream().map(d -> d.offer().id()).toList(), settings.refuseSeconds());
    }
    Set<String> stillWanted = fleet.needs().stream().filter(OfferPlanner.Need::gang).map(OfferPlanner.Need::topologyId)
        .collect(java.util.stream.Collectors.toSet());
    gangRetries.offered(offers, stillWanted);
    coming = Set.copyOf(fleet.coming());
    reconsider();
  }

  private void onUpdate(TaskStatus status) {
    TaskState s = status.state();
    if (s == TaskState.UNREACHABLE) {
      fleet.get(status.taskId()).ifPresent(t -> kill(t, "its agent is unreachable"));
    }
    if (!s.isTerminal() && s != TaskState.UNREACHABLE) {
      return;
    }
    fleet.ended(status.taskId()).ifPresent(t -> {
      if (t.killing()) {
        log.debug("supervisor task {} ended: {}", t.taskId(), s);
      } else {
        log.info("supervisor task {} of topology {} is {}{}", t.taskId(), t.topologyId(), s,
            status.message() == null ? "" : ": " + status.message());
      }
    });
    reconsider();
  }

  /** Revives offers while a topology wants slots, suppresses them otherwise; refreshes reasons. */
  private void reconsider() {
    if (client == null || frameworkId == null) {
      return;
    }
    List<OfferPlanner.Need> needs = fleet.needs();
    statuses = Map.copyOf(WaitingReasons.of(fleet.topologies(), needs, planner, agentTotals, allocatorReasons));
    coming = Set.copyOf(fleet.coming());
    if (adopted) {
      live = fleet.all().stream().map(SupervisorTask::taskId).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
    declare(needs);
    if (!needs.isEmpty() && !Boolean.FALSE.equals(suppressed)) {
      suppressed = false;
      client.revive(List.of(settings.role()));
      log.debug("topologies want {} more worker slots: offers revived", needs.stream().mapToInt(OfferPlanner.Need::slots).sum());
    } else if (needs.isEmpty() && !Boolean.TRUE.equals(suppressed) && fleet.hasView()) {
      suppressed = true;
      client.suppress(List.of(settings.role()));
      log.debug("no topology wants more workers: offers suppressed");
    }
  }

  /**
   * Tells the master what the topologies wait for: one demand per topology, its one-slot
   * supervisor's resources times the slots it misses; a gang (all of them together) when the
   * topology sets {@value StormView#GANG}. Sent when it changes; a refused demand is logged and
   * the others are stated without it, and offers still come as before.
   */
  private void declare(List<OfferPlanner.Need> needs) {
    List<SchedulerCall.Demand> demands = new ArrayList<>();
    for (OfferPlanner.Need n : needs) {
      String id = gangRetries.id(n.topologyId());
      demands.add(new SchedulerCall.Demand(id, settings.role(), planner.oneSlot(n.size()).toString(),
          n.slots(), List.of(), n.gang() ? new SchedulerCall.Gang(n.slots(), null, SchedulerCall.GangMode.SOFT) : null));
    }
    if (demands.equals(declared)) {
      return;
    }
    try {
      DemandRequests.send(client, demands, (d, message) -> log.warn(
          "the master refused what topology {} waits for; the other topologies are not held up: {}",
          GangRetries.name(d.id()), message));
    } catch (RuntimeException e) {
      log.warn("the master refused what the topologies wait for: {}", e.getMessage());
    }
    declared = demands;
  }

  private List<SchedulerCall.Demand> declared = List.of();
  /** Topology gangs offered without all their supervisors fitting are asked for again under a new id. */
  private final GangRetries gangRetries = new GangRetries();

  /** Reads the agents' sizes and the allocator's reasons for waiting reasons (off the event thread). */
  private void pollCluster() {
    try {
      JsonNode state = operator.state();
      List<Resources> totals = new ArrayList<>();
      for (JsonNode a : state.path("agents")) {
        if (a.path("reachable").asBoolean()) {
          totals.add(Resources.parse(a.path("total").asText("")));
        }
      }
      List<String> reasons = new ArrayList<>();
      for (JsonNode f : state.path("frameworks")) {
        if (f.path("id").asText().equals(frameworkIdSeen)) {
          f.path("reasons").path(settings.role()).forEach(r -> reasons.add(r.asText()));
        }
      }
      loop.execute(() -> {
        agentTotals = List.copyOf(totals);
        allocatorReasons = List.copyOf(reasons);
        reconsider();
      });
    } catch (RuntimeException e) {
      log.debug("cannot read the cluster's state: {}", e.toString());
    }
  }

  private volatile String frameworkIdSeen;

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The client's callbacks: each becomes an event on the framework's thread. */
  private final class Callbacks implements Scheduler {
    @Override
    public void subscribed(SchedulerClient c, String id) {
      frameworkIdSeen = id;
      loop.execute(() -> {
        client = c;
        onSubscribed(id);
      });
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      loop.execute(() -> onOffers(offers));
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      loop.execute(() -> onUpdate(status));
    }

    @Override
    public void error(SchedulerClient c, String message) {
      log.warn("Trellis reported an error to the Storm framework: {}", message);
    }

    @Override
    public void disconnected(SchedulerClient c, String reason) {
      log.debug("connection to the Trellis master lost ({}); reconnecting", reason);
    }
  }
}
