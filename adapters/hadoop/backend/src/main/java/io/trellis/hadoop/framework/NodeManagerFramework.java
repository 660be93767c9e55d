package io.trellis.hadoop.framework;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.OperatorClient;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.core.resource.Resources;
import io.trellis.hadoop.flex.Action;
import io.trellis.hadoop.flex.FlexStatus;
import io.trellis.hadoop.flex.NodeManagers;
import io.trellis.hadoop.profile.Profile;
import io.trellis.hadoop.profile.Profiles;
import io.trellis.hadoop.yarn.YarnView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Trellis framework of one YARN cluster: it launches NodeManagers as tasks under its role
 * from offers that fit their profile, watches the ResourceManager and carries out what
 * {@link NodeManagers} decides. One thread (the loop) owns all state; the Trellis client's
 * callbacks, the ticks and the control API all run there.
 */
public final class NodeManagerFramework implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeManagerFramework.class);
  private static final double DECLINE_SECONDS = 5;
  private static final String ID_FILE = "framework-id";

  private final FrameworkSettings settings;
  private final Profiles profiles;
  private final NodeManagers nms;
  private final NodeManagerTask tasks;
  private final YarnView yarn;
  private final MasterDetector detector;
  private final io.trellis.security.ClientSecurity security;
  private final OperatorClient operator;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "hadoop-framework");
    t.setDaemon(true);
    return t;
  });
  private SchedulerClient client;
  private String frameworkId;
  private boolean subscribed;
  private boolean reconciled;
  private boolean suppressed;

  public NodeManagerFramework(FrameworkSettings settings, Profiles profiles, NodeManagers nms, NodeManagerTask tasks,
      YarnView yarn, MasterDetector detector) {
    this(settings, profiles, nms, tasks, yarn, detector, io.trellis.security.ClientSecurity.none());
  }

  /** A framework calling the master with these credentials and TLS settings. */
  public NodeManagerFramework(FrameworkSettings settings, Profiles profiles, NodeManagers nms, NodeManagerTask tasks,
      YarnView yarn, MasterDetector detector, io.trellis.security.ClientSecurity security) {
    this.security = security;
    this.settings = settings;
    this.profiles = profiles;
    this.nms = nms;
    this.tasks = tasks;
    this.yarn = yarn;
    this.detector = detector;
    this.operator = new OperatorClient(detector, security);
  }

  /** Subscribes (again with the saved framework id, if any) and starts watching YARN. */
  public void start() throws IOException {
    Files.createDirectories(settings.workDir());
    Path idFile = settings.workDir().resolve(ID_FILE);
    String savedId = Files.exists(idFile) ? Files.readString(idFile, StandardCharsets.UTF_8).trim() : null;
    FrameworkInfo info = new FrameworkInfo(savedId == null || savedId.isEmpty() ? null : savedId,
        "hadoop " + settings.cluster(), settings.user(), List.of(settings.role()), settings.failoverTimeoutSeconds(),
        null).withWebuiUrl(settings.webuiUrl());
    client = SchedulerClient.start(detector, security, info, new Callbacks());
    long tick = settings.tick().toMillis();
    loop.scheduleWithFixedDelay(() -> guarded("tick", this::tick), tick, tick, TimeUnit.MILLISECONDS);
  }

  public String awaitSubscribed(java.time.Duration timeout) throws InterruptedException {
    return client.awaitSubscribed(timeout);
  }

  // The control API: each runs on the loop.

  /** Queues NMs; refuses an unknown profile, one larger than every agent, or more than the maximum. */
  public String flexUp(int instances, String profileName) {
    return flexUp(instances, profileName, false);
  }

  /**
   * Queues NMs as {@link #flexUp(int, String)}; {@code together}: they start together once all
   * fit, or not at all (a gang), and a gang the master says could never fit is refused here.
   */
  public String flexUp(int instances, String profileName, boolean together) {
    Profile p = profiles.require(profileName);
    checkSomeAgentHolds(p);
    return onLoop(() -> {
      String reason = "flexup requested; waiting for an offer of " + p.describe();
      if (!together) {
        nms.flexUp(instances, p, reason);
        offerInterest();
        return "flexup of " + instances + " " + p.name() + " NodeManager(s) accepted; " + nms.planned()
            + " running or waiting";
      }
      String gang = nms.flexUpTogether(instances, p, reason + " (all " + instances + " together)");
      try {
        declare(true);
      } catch (RuntimeException refused) {
        nms.dropGang(gang);
        declare(false);
        throw new IllegalArgumentException("flexup of " + instances + " " + p.name()
            + " NodeManagers together refused: " + refused.getMessage());
      }
      offerInterest();
      return "flexup of " + instances + " " + p.name() + " NodeManager(s) together accepted (gang " + gang + "); "
          + nms.planned() + " running or waiting";
    });
  }

  public String flexDown(int instances) {
    return onLoop(() -> {
      List<Action> actions = nms.flexDown(instances);
      carryOut(actions);
      offerInterest();
      return "flexdown of " + instances + " accepted: " + actions.size() + " NodeManager(s) decommissioning, "
          + nms.planned() + " staying";
    });
  }

  public FlexStatus status() {
    return onLoop(nms::status);
  }

  public String frameworkId() {
    return onLoop(() -> frameworkId);
  }

  /** What the master says about this framework's role (why offers may not come). */
  public List<String> masterReasons() {
    String id = frameworkId();
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode f : operator.state().path("frameworks")) {
        if (f.path("id").asText().equals(id)) {
          f.path("reasons").path(settings.role()).forEach(r -> out.add(r.asText()));
        }
      }
    } catch (RuntimeException e) {
      out.add("the master cannot be asked: " + e.getMessage());
    }
    return out;
  }

  /** Ends the framework: Trellis kills every NM task and forgets the framework. */
  public void teardown() {
    onLoop(() -> {
      client.teardown();
      Files.deleteIfExists(settings.workDir().resolve(ID_FILE));
      return null;
    });
  }

  private void checkSomeAgentHolds(Profile p) {
    Resources need = Resources.parse(p.scalars());
    Resources largest = null;
    for (JsonNode a : operator.state().path("agents")) {
      Resources total = Resources.parse(a.path("total").asText("")).scalars();
      if (total.contains(need)) {
        return;
      }
      if (largest == null || total.scalar(Resources.MEM) > largest.scalar(Resources.MEM)) {
        largest = total;
      }
    }
    throw new IllegalArgumentException("profile " + p.describe() + " is larger than every agent ("
        + (largest == null ? "no agent is registered" : "the largest has " + largest) + "); choose a smaller profile");
  }

  // The loop.

  private void tick() {
    if (!subscribed) {
      return;
    }
    carryOut(nms.tick(yarn.snapshot(), reconciled));
    offerInterest();
  }

  private void onSubscribed(String id) throws IOException {
    boolean restored = frameworkId == null && id.equals(savedId());
    frameworkId = id;
    subscribed = true;
    suppressed = false;
    Files.writeString(settings.workDir().resolve(ID_FILE), id, StandardCharsets.UTF_8);
    if (!reconciled) {
      if (restored) {
        adoptRunningNodeManagers();
      }
      client.reconcile(List.of());
      reconciled = true;
    }
    log.info("subscribed as framework {} under role {}", id, settings.role());
    offerInterest();
  }

  private String savedId() throws IOException {
    Path idFile = settings.workDir().resolve(ID_FILE);
    return Files.exists(idFile) ? Files.readString(idFile, StandardCharsets.UTF_8).trim() : null;
  }

  /** After a restart: the NM tasks Trellis still runs for this framework are kept, not launched again. */
  private void adoptRunningNodeManagers() {
    for (JsonNode t : operator.state().path("tasks")) {
      TaskState state = TaskState.valueOf(t.path("state").asText("LOST"));
      JsonNode labels = t.path("labels");
      if (!t.path("frameworkId").asText().equals(frameworkId) || state.isTerminal()
          || !labels.has(NodeManagerTask.LABEL_NODE_ID)) {
        continue;
      }
      Profile p = profiles.get(labels.path(NodeManagerTask.LABEL_PROFILE).asText())
          .orElse(nms.settings().autoProfile());
      List<Integer> ports = Arrays.stream(labels.path(NodeManagerTask.LABEL_PORTS).asText("").split(","))
          .filter(s -> !s.isBlank()).map(Integer::valueOf).toList();
      nms.adopt(t.path("id").asText(), t.path("agentId").asText(), p,
          labels.path(NodeManagerTask.LABEL_NODE_ID).asText(), ports, state);
    }
  }

  /** Each offer takes as many waiting NodeManagers as fit in it, in one accept; the rest is declined. */
  private void onOffers(List<OfferInfo> offers) {
    List<String> declined = new ArrayList<>();
    for (OfferInfo offer : offers) {
      List<TaskSpec> specs = new ArrayList<>();
      Resources left = Resources.parse(offer.resources());
      // A gang's offers serve its NMs alone; ordinary offers serve the NMs of no gang.
      String gang = offer.gang();
      while (nms.next(gang).isPresent()) {
        Profile p = nms.next(gang).get().profile();
        NodeManagerTask.Fit fit = NodeManagerTask.fit(left.toString(), p);
        if (!fit.fits()) {
          if (specs.isEmpty()) {
            nms.stillWaiting(gang, "offer of agent " + offer.agentId() + ": " + fit.refusal());
          }
          break;
        }
        String taskId = "hadoop-nm-" + settings.cluster() + "-" + UUID.randomUUID().toString().substring(0, 8);
        TaskSpec spec = tasks.task(taskId, offer.agentId(), offer.hostname(), p, fit.ports(), settings.user());
        nms.launched(gang, taskId, offer.agentId(), spec.labels().get(NodeManagerTask.LABEL_NODE_ID), fit.ports());
        specs.add(spec);
        left = left.minus(Resources.parse(spec.resources()));
      }
      if (specs.isEmpty()) {
        declined.add(offer.id());
        continue;
      }
      try {
        client.accept(List.of(offer.id()), specs, DECLINE_SECONDS);
      } catch (RuntimeException e) {
        log.warn("could not launch {} NodeManager task(s) on offer {}: {}", specs.size(), offer.id(), e.getMessage());
        specs.forEach(t -> nms.launchFailed(t.taskId(), e.getMessage()));
      }
    }
    if (!declined.isEmpty()) {
      client.decline(declined, DECLINE_SECONDS);
    }
    offers.stream().map(OfferInfo::gang).filter(java.util.Objects::nonNull).distinct()
        .filter(g -> nms.next(g).isPresent())
        .forEach(g -> log.info("the offers of gang {} did not hold all its NodeManagers; asking again as {}", g,
            nms.regang(g)));
    offerInterest();
  }

  private void onUpdate(TaskStatus s) {
    if (!nms.knows(s.taskId())) {
      if (reconciled && !s.state().isTerminal()) {
        log.info("killing task {}: no NodeManager of this framework", s.taskId());
        client.kill(s.taskId(), s.agentId());
      }
      return;
    }
    carryOut(nms.taskUpdate(s.taskId(), s.state(), s.message()));
    offerInterest();
  }

  private void carryOut(List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof Action.Decommission d) {
        yarn.decommission(d.nodeId(), d.timeoutSeconds());
      } else if (a instanceof Action.Kill k) {
        log.info("killing NodeManager task {}: {}", k.taskId(), k.reason());
        client.kill(k.taskId(), k.agentId());
      } else if (a instanceof Action.Forget f) {
        log.info("YARN forgets node {}: {}", f.nodeId(), f.reason());
        yarn.forget(f.nodeId());
      }
    }
  }

  /** Offers while a flexup waits; none otherwise. The master is told what waits, by profile. */
  private void offerInterest() {
    if (!subscribed) {
      return;
    }
    declare();
    if (nms.wantsOffers() && suppressed) {
      client.revive(List.of(settings.role()));
      suppressed = false;
    } else if (!nms.wantsOffers() && !suppressed) {
      client.suppress(List.of(settings.role()));
      suppressed = true;
    }
  }

  private List<SchedulerCall.Demand> declared = List.of();

  /** A gang's hold ended: expired, its NMs wait as ordinary flexups; failed, they are given up. */
  private void onGang(SchedulerEvent.GangUpdate update) {
    if (update.state() == io.trellis.api.GangState.EXPIRED) {
      nms.ungang(update.demandId());
      log.info("the NodeManagers of {} did not fit together in time: {}; they start as offers come", update.demandId(),
          update.reason());
    } else if (update.state() == io.trellis.api.GangState.FAILED) {
      log.warn("gave up {} NodeManagers of {}: {}", nms.dropGang(update.demandId()), update.demandId(), update.reason());
    }
    offerInterest();
  }

  /**
   * Tells the master what waits: one plain demand per profile with flexups waiting (an NM's cpus
   * and mem, how many), and one gang per flexup asked for together. Sent when it changes; a
   * refusal is logged and offers still come as before.
   */
  private void declare() {
    try {
      declare(false);
    } catch (RuntimeException e) {
      log.warn("the master refused what the NodeManagers wait for: {}", e.getMessage());
    }
  }

  /** As {@link #declare()}; a refusal is thrown when {@code strict}, else only recorded. */
  private void declare(boolean strict) {
    java.util.Map<String, SchedulerCall.Demand> byKey = new java.util.LinkedHashMap<>();
    for (NodeManagers.Waiting w : nms.waitingNow()) {
      Profile p = w.profile();
      String id = w.gang() != null ? w.gang() : "nodemanagers-" + p.name();
      SchedulerCall.Demand d = byKey.get(id);
      int count = d == null ? 1 : d.count() + 1;
      byKey.put(id, new SchedulerCall.Demand(id, settings.role(), p.scalars(), count, List.of(),
          w.gang() == null ? null : new SchedulerCall.Gang(count, null, SchedulerCall.GangMode.SOFT)));
    }
    List<SchedulerCall.Demand> demands = List.copyOf(byKey.values());
    if (demands.equals(declared) || client == null) {
      return;
    }
    declared = demands;
    try {
      client.request(demands);
    } catch (RuntimeException e) {
      if (strict) {
        declared = null;
        throw e;
      }
      log.warn("the master refused what the NodeManagers wait for: {}", e.getMessage());
    }
  }

  private void guarded(String what, ThrowingRunnable r) {
    try {
      r.run();
    } catch (Exception e) {
      log.warn("{} failed: {}", what, e.toString());
      log.debug("{} failure", what, e);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private <T> T onLoop(Callable<T> c) {
    try {
      return loop.submit(c).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the framework is busy; try again");
    }
  }

  /** Callbacks hand each event to the loop and wait, so updates are acknowledged once handled. */
  private final class Callbacks implements Scheduler {
    @Override
    public void subscribed(SchedulerClient c, String id) {
      onLoopQuietly("subscribed", () -> onSubscribed(id));
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      onLoopQuietly("offers", () -> onOffers(offers));
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      onLoopQuietly("update", () -> onUpdate(status));
    }

    @Override
    public void gang(SchedulerClient c, SchedulerEvent.GangUpdate update) {
      onLoopQuietly("gang", () -> onGang(update));
    }

    @Override
    public void error(SchedulerClient c, String message) {
      log.warn("Trellis reported an error: {}", message);
    }

    @Override
    public void disconnected(SchedulerClient c, String reason) {
      onLoopQuietly("disconnected", () -> subscribed = false);
      log.debug("disconnected from the master: {}", reason);
    }

    private void onLoopQuietly(String what, ThrowingRunnable r) {
      try {
        loop.submit(() -> guarded(what, r)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        log.warn("{} failed: {}", what, e.getCause().toString());
      }
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    if (client != null) {
      client.close();
    }
  }
}
