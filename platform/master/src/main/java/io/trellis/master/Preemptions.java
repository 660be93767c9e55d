package io.trellis.master;

import io.trellis.allocator.PreemptionView;
import io.trellis.allocator.preemption.ClusterSnapshot;
import io.trellis.allocator.preemption.ClusterSnapshot.RoleState;
import io.trellis.allocator.preemption.ClusterSnapshot.RunningTask;
import io.trellis.allocator.preemption.ClusterSnapshot.Waiting;
import io.trellis.allocator.preemption.Preemption;
import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.allocator.preemption.PreemptionPlanner;
import io.trellis.api.TaskState;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out preemption on the master's event loop: every interval it asks the
 * {@link PreemptionPlanner} what to take back for waiting work, kills the victims with the
 * preemption grace period, and keeps the freed resources for the role that preempted. A need
 * being served is not planned for again until its victims are gone (or the grace period and the
 * hold have passed).
 */
final class Preemptions {
  private static final Logger log = LoggerFactory.getLogger(Preemptions.class);
  private final Master master;
  private final PreemptionConfig config;
  private final PreemptionPlanner planner;
  /** Needs whose victims are being killed, by framework and role. */
  private final Map<String, InFlight> inFlight = new LinkedHashMap<>();
  /** Tasks preempted so far, by the framework that ran them. */
  private final Map<FrameworkId, Long> victimsByFramework = new HashMap<>();

  private record InFlight(String role, Resources need, List<TaskRecord> victims, Instant until) {
    boolean over(Instant now) {
      return now.isAfter(until) || victims.stream().allMatch(t -> t.state.isTerminal());
    }
  }

  Preemptions(Master master, PreemptionConfig config) {
    this.master = master;
    this.config = config;
    this.planner = new PreemptionPlanner(config.mode());
  }

  PreemptionConfig config() {
    return config;
  }

  /** How many of the framework's tasks were preempted since this master leads. */
  long preempted(FrameworkId framework) {
    return victimsByFramework.getOrDefault(framework, 0L);
  }

  /** Plans once and carries the decisions out. */
  void run() {
    if (config.mode() == PreemptionMode.OFF) {
      return;
    }
    Instant now = master.clock.instant();
    inFlight.values().removeIf(f -> f.over(now));
    PreemptionView view = master.allocator.preemption();
    List<Waiting> waiting = new ArrayList<>();
    for (Waiting w : view.waiting()) {
      if (!inFlight.containsKey(key(w.framework(), w.role()))) {
        waiting.add(w);
      }
    }
    if (waiting.isEmpty()) {
      return;
    }
    ClusterSnapshot snapshot = new ClusterSnapshot(master.allocator.clusterTotal(), roles(view, waiting),
        view.free(), waiting, candidates());
    for (Preemption p : planner.plan(snapshot)) {
      carryOut(p, now, view);
    }
  }

  private static String key(FrameworkId framework, String role) {
    return framework.value() + "/" + role;
  }

  /**
   * Every role with tasks or waiting work: its settings, and what it will hold once the kills
   * under way are done (their needs in, their victims out).
   */
  private Map<String, RoleState> roles(PreemptionView view, List<Waiting> waiting) {
    Map<String, Resources> coming = new HashMap<>();
    for (TaskRecord t : master.tasks.values()) {
      coming.putIfAbsent(t.role, Resources.empty());
    }
    waiting.forEach(w -> coming.putIfAbsent(w.role(), Resources.empty()));
    Map<String, Resources> leaving = new HashMap<>();
    for (InFlight f : inFlight.values()) {
      coming.merge(f.role(), f.need(), Resources::plus);
      for (TaskRecord t : f.victims()) {
        if (!t.state.isTerminal()) {
          leaving.merge(t.role, t.resources.scalars().flatten(), Resources::plus);
        }
      }
    }
    Map<String, RoleState> out = new HashMap<>();
    coming.forEach((name, extra) -> {
      Master.RoleSettings s = master.roles.get(name);
      Resources held = view.allocated(name).plus(extra);
      Resources gone = leaving.getOrDefault(name, Resources.empty());
      out.put(name, new RoleState(name, s == null ? Resources.empty() : s.quota().guarantee(),
          s == null ? 1.0 : s.weight(), s == null || s.preemptible(), held.contains(gone) ? held.minus(gone) : held));
    });
    return out;
  }

  /** Tasks that may be chosen: started or starting on a reachable agent, not being killed. */
  private List<RunningTask> candidates() {
    List<RunningTask> out = new ArrayList<>();
    for (TaskRecord t : master.tasks.values()) {
      AgentState a = master.agent(t.agentId);
      if (a == null || !a.reachable || t.preemptedFor != null
          || !(t.state == TaskState.STAGING || t.state == TaskState.STARTING || t.state == TaskState.RUNNING)) {
        continue;
      }
      FrameworkState f = master.frameworks.get(t.frameworkId);
      int priority = t.spec.priority() != null ? t.spec.priority() : f == null ? 0 : f.info.priorityOrDefault();
      out.add(new RunningTask(TaskRecord.key(t.frameworkId, t.spec.taskId()), t.frameworkId, t.role, t.agentId,
          t.resources.scalars(), priority, !Boolean.FALSE.equals(t.spec.preemptible()),
          t.launchSentAt == null ? 0 : t.launchSentAt.toEpochMilli()));
    }
    return out;
  }

  private void carryOut(Preemption p, Instant now, PreemptionView view) {
    String why = "preempted for role " + p.role() + " (below its " + p.basis().text() + "): framework "
        + p.framework() + " needs " + p.need() + " on agent " + p.agent();
    List<TaskRecord> victims = new ArrayList<>();
    for (RunningTask v : p.victims()) {
      victims.add(master.tasks.get(v.taskId()));
    }
    log.info("preempting {} task(s) {} on agent {} for framework {} of role {}, below its {} (needs {}); grace {} s",
        victims.size(), victims.stream().map(t -> t.role + ":" + t.spec.taskId()).toList(), p.agent(),
        p.framework(), p.role(), p.basis().text(), p.need(), config.grace().toSeconds());
    Instant until = now.plus(config.grace()).plus(config.hold());
    view.hold(p.agent(), p.role(), p.need(), until);
    inFlight.put(key(p.framework(), p.role()), new InFlight(p.role(), p.need(), victims, until));
    master.metrics.preemption(p.role());
    master.events.warning("preemption", "preempting " + victims.size() + " task(s) on agent " + p.agent() + " for framework "
        + p.framework() + " of role " + p.role() + " (needs " + p.need() + ")");
    for (TaskRecord t : victims) {
      t.preemptedFor = why;
      t.killGraceSeconds = config.grace().toMillis() / 1000.0;
      victimsByFramework.merge(t.frameworkId, 1L, Long::sum);
      master.metrics.preempted(t.role, t.frameworkId.value());
      master.taskLogic.kill(t);
    }
  }
}
