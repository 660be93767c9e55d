package io.trellis.hadoop.flex;

import io.trellis.api.TaskState;
import io.trellis.hadoop.profile.Profile;
import io.trellis.hadoop.yarn.YarnView;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's NodeManagers and waiting flexups, and every decision about them: flexup and
 * flexdown by request, the automatic mode (add while YARN has pending containers the NMs cannot
 * take, decommission NMs idle for the grace period (no containers, and no unfinished application
 * that ran there, whose map outputs the NM may still serve), never below min or above max), and keeping
 * Trellis' and YARN's views of the NMs the same. Called on one thread only (the framework's
 * loop); it decides and returns {@link Action}s, the loop carries them out.
 */
public final class NodeManagers {
  private static final Logger log = LoggerFactory.getLogger(NodeManagers.class);

  /** A flexup waiting for an offer that fits its profile. */
  public static final class Waiting {
    final Profile profile;
    final Instant requestedAt;
    final boolean automatic;
    String reason;

    Waiting(Profile profile, Instant requestedAt, boolean automatic, String reason) {
      this.profile = profile;
      this.requestedAt = requestedAt;
      this.automatic = automatic;
      this.reason = reason;
    }

    public Profile profile() {
      return profile;
    }
  }

  private final FlexSettings settings;
  private final InstantSource clock;
  private final Map<String, NodeRecord> nodes = new LinkedHashMap<>();
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private YarnView.Demand demand = YarnView.Demand.NONE;
  private Instant pendingSince;

  public NodeManagers(FlexSettings settings, InstantSource clock) {
    this.settings = settings;
    this.clock = clock;
  }

  public FlexSettings settings() {
    return settings;
  }

  /** NMs that stay: running or on their way, not leaving; plus the waiting flexups. */
  public int planned() {
    return (int) nodes.values().stream().filter(n -> !n.leaving()).count() + waiting.size();
  }

  public boolean wantsOffers() {
    return !waiting.isEmpty();
  }

  /** The waiting flexups counted by profile, in the order they were asked for. */
  public java.util.Map<Profile, Integer> waitingByProfile() {
    java.util.Map<Profile, Integer> out = new java.util.LinkedHashMap<>();
    for (Waiting w : waiting) {
      out.merge(w.profile, 1, Integer::sum);
    }
    return out;
  }

  /** Queues {@code n} NMs of the profile; refuses what would pass the maximum. */
  public void flexUp(int n, Profile profile, String reason) {
    if (n < 1 || n > settings.max()) {
      throw new IllegalArgumentException("instances " + n + " must be between 1 and the maximum " + settings.max());
    }
    if (planned() + n > settings.max()) {
      throw new IllegalArgumentException("flexup of " + n + " would make " + (planned() + n)
          + " NodeManagers, above the maximum " + settings.max() + " (" + planned() + " running or waiting)");
    }
    for (int i = 0; i < n; i++) {
      waiting.add(new Waiting(profile, clock.instant(), false, reason));
    }
    log.info("flexup: {} NodeManager(s) of profile {} requested", n, profile.name());
  }

  /**
   * Removes {@code n} NMs: waiting flexups first, then the NMs with the fewest containers,
   * decommissioned gracefully. Refuses what would go below the minimum.
   */
  public List<Action> flexDown(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("instances " + n + " must be at least 1");
    }
    int planned = planned();
    if (n > planned) {
      throw new IllegalArgumentException("flexdown of " + n + ": only " + planned + " NodeManagers are running or waiting");
    }
    if (planned - n < settings.min()) {
      throw new IllegalArgumentException("flexdown of " + n + " would leave " + (planned - n)
          + " NodeManagers, below the minimum " + settings.min() + "; lower --min or flex down fewer");
    }
    List<Action> actions = new ArrayList<>();
    int left = n;
    while (left > 0 && !waiting.isEmpty()) {
      waiting.removeLast();
      left--;
    }
    List<NodeRecord> candidates = nodes.values().stream().filter(r -> !r.leaving())
        .sorted(Comparator.comparingInt((NodeRecord r) -> r.registeredAt == null ? -1 : r.containers)
            .thenComparing(r -> r.launchedAt, Comparator.reverseOrder()))
        .toList();
    for (NodeRecord r : candidates) {
      if (left-- <= 0) {
        break;
      }
      actions.add(leave(r, "flexdown requested"));
    }
    return actions;
  }

  /** The next waiting flexup, to match against an offer. */
  public Optional<Waiting> next() {
    return Optional.ofNullable(waiting.peekFirst());
  }

  /** An offer did not fit the next waiting flexup: this is why it still waits. */
  public void stillWaiting(String reason) {
    Waiting w = waiting.peekFirst();
    if (w != null) {
      w.reason = reason;
    }
  }

  /** The next waiting flexup got an offer: its NM task is being launched. */
  public void launched(String taskId, String agentId, String nodeId, List<Integer> ports) {
    Waiting w = waiting.removeFirst();
    nodes.put(taskId, new NodeRecord(taskId, agentId, w.profile, nodeId, ports, clock.instant()));
    log.info("launching NodeManager {} (profile {}) as task {} on agent {}", nodeId, w.profile.name(), taskId, agentId);
  }

  /** The launch did not reach the master: the flexup waits again. */
  public void launchFailed(String taskId, String why) {
    NodeRecord r = nodes.remove(taskId);
    if (r != null) {
      waiting.addFirst(new Waiting(r.profile, r.launchedAt, false, "the last launch failed: " + why));
    }
  }

  /** An NM task found running after a restart (from the master's state): kept, not launched again. */
  public void adopt(String taskId, String agentId, Profile profile, String nodeId, List<Integer> ports, TaskState state) {
    NodeRecord r = new NodeRecord(taskId, agentId, profile, nodeId, ports, clock.instant());
    r.taskState = state;
    nodes.put(taskId, r);
    log.info("adopted NodeManager {} (task {}, profile {})", nodeId, taskId, profile.name());
  }

  public boolean knows(String taskId) {
    return nodes.containsKey(taskId);
  }

  /** A task update: a task that ended leaves, and YARN forgets its node unless it was decommissioned. */
  public List<Action> taskUpdate(String taskId, TaskState state, String message) {
    NodeRecord r = nodes.get(taskId);
    if (r == null) {
      return List.of();
    }
    if (state == TaskState.UNREACHABLE) {
      r.taskState = state;
      return List.of(new Action.Forget(r.nodeId, "its agent is unreachable"),
          new Action.Kill(r.taskId, r.agentId, "its agent is unreachable; YARN runs its work elsewhere"));
    }
    if (!state.isTerminal()) {
      r.taskState = state;
      return List.of();
    }
    nodes.remove(taskId);
    boolean expected = r.leaving();
    if (expected) {
      log.info("NodeManager {} (task {}) ended: {}", r.nodeId, taskId, state);
    } else {
      log.warn("NodeManager {} (task {}) ended unexpectedly: {}{}", r.nodeId, taskId, state,
          message == null ? "" : " (" + message + ")");
    }
    if ("DECOMMISSIONED".equals(r.yarnState)) {
      return List.of();
    }
    return List.of(new Action.Forget(r.nodeId, "its task " + taskId + " is " + state));
  }

  /**
   * One look at YARN: record each NM's state and containers, end the tasks of NMs YARN has
   * decommissioned, kill NM tasks that never registered, forget nodes no task backs, and, in
   * automatic mode, flex up or down.
   */
  public List<Action> tick(YarnView.Snapshot yarn, boolean reconciled) {
    Instant now = clock.instant();
    demand = yarn.demand();
    List<Action> actions = new ArrayList<>();
    Map<String, NodeRecord> byNode = new LinkedHashMap<>();
    for (NodeRecord r : nodes.values()) {
      byNode.put(r.nodeId, r);
      YarnView.Node n = yarn.nodes().get(r.nodeId);
      if (n != null) {
        observe(r, n, now, actions);
      } else if (r.taskState == TaskState.RUNNING && r.killReason == null
          && now.isAfter(r.launchedAt.plus(settings.registrationTimeout()))) {
        r.killReason = "it did not register with the ResourceManager within "
            + settings.registrationTimeout().toSeconds() + " s";
        actions.add(new Action.Kill(r.taskId, r.agentId, r.killReason));
      }
    }
    if (reconciled) {
      for (YarnView.Node n : yarn.nodes().values()) {
        if (n.counted() && !byNode.containsKey(n.nodeId())) {
          actions.add(new Action.Forget(n.nodeId(), "no NodeManager task of this framework backs it"));
        }
      }
    }
    if (settings.automatic()) {
      automatic(now, actions);
    }
    return actions;
  }

  private void observe(NodeRecord r, YarnView.Node n, Instant now, List<Action> actions) {
    if (!n.state().equals(r.yarnState)) {
      log.info("NodeManager {} (task {}) is {} in YARN", r.nodeId, r.taskId, n.state());
    }
    r.yarnState = n.state();
    r.containers = n.containers();
    r.apps = n.apps();
    if (r.registeredAt == null && n.state().equals("RUNNING")) {
      r.registeredAt = now;
      log.info("NodeManager {} registered {} ms after its launch", r.nodeId,
          java.time.Duration.between(r.launchedAt, now).toMillis());
    }
    if (n.containers() > 0 || n.apps() > 0) {
      r.idleSince = null;
    } else if (r.idleSince == null) {
      r.idleSince = now;
    }
    boolean gone = !n.counted();
    if (gone && r.decommissionedAt != null && r.killReason == null) {
      r.killReason = "YARN reports it " + n.state();
      actions.add(new Action.Kill(r.taskId, r.agentId, r.killReason));
    } else if (gone && r.decommissionedAt == null && r.killReason == null && r.registeredAt != null) {
      r.killReason = "YARN no longer counts it (" + n.state() + ")";
      actions.add(new Action.Kill(r.taskId, r.agentId, r.killReason));
    }
  }

  private void automatic(Instant now, List<Action> actions) {
    boolean pending = demand.pendingContainers() > 0;
    if (!pending) {
      pendingSince = null;
    } else if (pendingSince == null) {
      pendingSince = now;
    }
    boolean starting = !waiting.isEmpty()
        || nodes.values().stream().anyMatch(r -> !r.leaving() && r.registeredAt == null);
    int planned = planned();
    if (planned < settings.min()) {
      for (int i = planned; i < settings.min(); i++) {
        waiting.add(new Waiting(settings.autoProfile(), now, true, "waiting for an offer (minimum " + settings.min() + ")"));
      }
      return;
    }
    if (pending && !starting && planned < settings.max()) {
      boolean cannotFit = demand.pendingMb() > demand.availableMb()
          || !now.isBefore(pendingSince.plus(settings.starvedAfter()));
      if (cannotFit) {
        String why = "YARN has " + demand.pendingContainers() + " pending containers (" + demand.pendingMb()
            + " MB) and " + demand.availableMb() + " MB free";
        log.info("automatic flexup of one {} NodeManager: {}", settings.autoProfile().name(), why);
        waiting.add(new Waiting(settings.autoProfile(), now, true, why + "; waiting for an offer"));
        pendingSince = now;
      }
      return;
    }
    if (!pending) {
      List<NodeRecord> idle = nodes.values().stream()
          .filter(r -> !r.leaving() && r.registeredAt != null && r.containers == 0 && r.idleSince != null
              && !now.isBefore(r.idleSince.plus(settings.idleGrace())))
          .sorted(Comparator.comparing((NodeRecord r) -> r.idleSince)).toList();
      int removable = planned - settings.min();
      for (NodeRecord r : idle) {
        if (removable-- <= 0) {
          break;
        }
        actions.add(leave(r, "idle for " + settings.idleGrace().toSeconds() + " s"));
      }
    }
  }

  /** Decommissions a registered NM; kills one YARN does not know yet. */
  private Action leave(NodeRecord r, String why) {
    if (r.registeredAt == null) {
      r.killReason = why + " (not registered yet)";
      return new Action.Kill(r.taskId, r.agentId, r.killReason);
    }
    r.decommissionedAt = clock.instant();
    log.info("decommissioning NodeManager {} (task {}): {}", r.nodeId, r.taskId, why);
    return new Action.Decommission(r.nodeId, settings.decommissionTimeoutSeconds(), why);
  }

  public FlexStatus status() {
    List<FlexStatus.Node> ns = nodes.values().stream().map(r -> new FlexStatus.Node(r.taskId, r.agentId,
        r.profile.name(), r.nodeId, r.taskState.name(), r.yarnState == null ? "NOT_REGISTERED" : r.yarnState,
        r.containers, r.leaving())).toList();
    List<FlexStatus.Waiting> ws = waiting.stream().map(w -> new FlexStatus.Waiting(w.profile.name(),
        w.requestedAt.toString(), w.automatic, w.reason)).toList();
    return new FlexStatus(settings.min(), settings.max(), settings.automatic(), ns, ws,
        new FlexStatus.Demand(demand.pendingContainers(), demand.pendingMb(), demand.appsPending(),
            demand.appsRunning()));
  }
}
