package io.trellis.master;

import io.trellis.allocator.Allocation;
import io.trellis.allocator.Offer;
import io.trellis.api.AgentProtocol;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resources;
import io.trellis.master.task.Effect;
import io.trellis.master.task.TaskEvent;
import io.trellis.master.task.TaskStateMachine;
import io.trellis.master.task.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task lifecycle on the master: launches from offers, kills, agent updates, reconciliation. The
 * state machine decides; this class carries out the effects. Runs on the event loop.
 */
final class Tasks {
  private static final Logger log = LoggerFactory.getLogger(Tasks.class);
  private final Master master;
  private final AgentClient agents;

  Tasks(Master master, AgentClient agents) {
    this.master = master;
    this.agents = agents;
  }

  // ACCEPT.

  /**
   * Launches the valid tasks on the offers' agent. Each invalid task gets TASK_ERROR with the
   * reason, and nothing else changes; whatever is not launched goes back to the allocator.
   */
  void accept(FrameworkState f, SchedulerCall.Accept accept) {
    List<Offer> used = new ArrayList<>();
    String offerProblem = null;
    for (String id : accept.offerIds() == null ? List.<String>of() : accept.offerIds()) {
      Offer o = master.offer(f, id);
      if (o == null) {
        offerProblem = "unknown offer '" + id + "' (it may have been rescinded or already used)";
      } else if (!used.isEmpty() && !used.get(0).agentId().equals(o.agentId())) {
        offerProblem = "offers " + used.get(0).id() + " and " + id + " are on different agents";
      } else {
        used.add(o);
      }
    }
    if (used.isEmpty() && offerProblem == null) {
      offerProblem = "ACCEPT names no offer";
    }
    List<TaskSpec> launches = accept.launch() == null ? List.of() : accept.launch();
    Resources[] remaining = new Resources[used.size()];
    Resources[] taken = new Resources[used.size()];
    for (int i = 0; i < used.size(); i++) {
      remaining[i] = used.get(i).resources();
      taken[i] = Resources.empty();
    }
    Set<String> ids = new HashSet<>();
    List<TaskRecord> launched = new ArrayList<>();
    for (TaskSpec spec : launches) {
      String problem = offerProblem != null ? offerProblem : validate(f, spec, ids);
      Resources need = null;
      int fit = -1;
      if (problem == null) {
        need = Resources.parse(spec.resources());
        for (int i = 0; i < remaining.length && fit < 0; i++) {
          if (remaining[i].contains(need)) {
            fit = i;
          }
        }
        if (fit < 0) {
          problem = "task " + spec.taskId() + " needs " + need + " but the offers hold "
              + join(remaining) + " (resources not in the offer)";
        }
      }
      if (problem != null) {
        master.error(f, spec, problem);
        continue;
      }
      ids.add(spec.taskId());
      remaining[fit] = remaining[fit].minus(need);
      taken[fit] = taken[fit].plus(need);
      Offer o = used.get(fit);
      TaskSpec placed = new TaskSpec(spec.taskId(), spec.name(), o.agentId().value(), spec.resources(),
          spec.command(), spec.labels(), spec.killGracePeriodSeconds(), spec.container(), spec.healthChecks());
      TaskRecord t = new TaskRecord(f.id, o.role(), o.agentId(), placed, need);
      master.tasks.put(TaskRecord.key(f.id, spec.taskId()), t);
      master.metrics.taskState(null, TaskState.STAGING);
      launched.add(t);
    }
    Duration refuse = master.refuse(accept.filters() == null ? null : accept.filters().refuseSeconds());
    for (int i = 0; i < used.size(); i++) {
      master.forgetOffer(used.get(i).id());
      master.allocator.accept(used.get(i).id(), taken[i], refuse);
    }
    for (TaskRecord t : launched) {
      send(t);
    }
  }

  private String validate(FrameworkState f, TaskSpec spec, Set<String> idsInCall) {
    if (spec == null) {
      return "launch holds an empty task";
    }
    if (spec.taskId() == null || spec.taskId().isBlank()) {
      return "taskId is required";
    }
    if (idsInCall.contains(spec.taskId()) || master.tasks.containsKey(TaskRecord.key(f.id, spec.taskId()))) {
      return "duplicate task id '" + spec.taskId() + "': task ids must be unique within the framework";
    }
    if (spec.command() == null || spec.command().value() == null || spec.command().value().isBlank()) {
      if (spec.container() == null) {
        return "task " + spec.taskId() + " has no command: set command.value";
      }
    }
    Resources need;
    try {
      need = Resources.parse(spec.resources() == null ? "" : spec.resources());
    } catch (InvalidResourceException e) {
      return "task " + spec.taskId() + " has invalid resources: " + e.getMessage();
    }
    if (!(need.scalar(Resources.CPUS) > 0) || !(need.scalar(Resources.MEM) > 0)) {
      return "task " + spec.taskId() + " needs cpus > 0 and mem > 0, got '" + spec.resources() + "'";
    }
    List<String> checkProblems = HealthCheckRules.problems(spec.healthChecks());
    if (!checkProblems.isEmpty()) {
      return "task " + spec.taskId() + " has invalid health checks: " + String.join("; ", checkProblems);
    }
    return null;
  }

  private static String join(Resources[] rs) {
    List<String> parts = new ArrayList<>();
    for (Resources r : rs) {
      parts.add(r.toString());
    }
    return String.join(" + ", parts);
  }

  private void send(TaskRecord t) {
    AgentState a = master.agent(t.agentId);
    agents.launch(a.endpoint, new AgentProtocol.Launch(t.frameworkId.value(), t.role, t.spec))
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            master.loop.execute(() -> {
              log.warn("launch of task {} on agent {} failed: {}", t.spec.taskId(), t.agentId, failure.getMessage());
              apply(t, new TaskEvent.AgentReported(TaskState.FAILED, "REASON_AGENT_UNREACHABLE",
                  "the agent could not be reached to launch the task: " + failure.getMessage(), null), null);
            });
          }
        });
  }

  // KILL, ACKNOWLEDGE, RECONCILE.

  void kill(FrameworkState f, String taskId) {
    TaskRecord t = master.tasks.get(TaskRecord.key(f.id, taskId));
    if (t == null) {
      f.send(io.trellis.api.SchedulerEvent.update(new TaskStatus(taskId, f.id.value(), null,
          TaskState.GONE, "REASON_RECONCILIATION", "unknown task " + taskId, null, null,
          master.clock.millis() / 1000.0)));
      return;
    }
    kill(t);
  }

  void kill(TaskRecord t) {
    apply(t, new TaskEvent.KillRequested(), null);
  }

  /** The task's framework is gone: the task is KILLED for the master and killed on its agent. */
  void frameworkRemoved(TaskRecord t) {
    apply(t, new TaskEvent.FrameworkRemoved(), null);
  }

  void acknowledge(FrameworkState f, SchedulerCall.Acknowledge ack) {
    log.debug("acknowledgement of {} {} from the framework", ack.taskId(), ack.uuid());
    TaskRecord t = master.tasks.get(TaskRecord.key(f.id, ack.taskId()));
    AgentState a = ack.agentId() == null ? null : master.agent(AgentId.of(ack.agentId()));
    if (a == null || !a.reachable || ack.uuid() == null) {
      return;
    }
    agents.acknowledge(a.endpoint, new AgentProtocol.Acknowledge(ack.taskId(), ack.uuid()));
    if (t != null && t.state.isTerminal()) {
      master.forgetTask(t);
    }
  }

  void reconcile(FrameworkState f, List<SchedulerCall.TaskRef> refs) {
    if (refs == null || refs.isEmpty()) {
      for (TaskRecord t : master.tasks.values()) {
        if (t.frameworkId.equals(f.id)) {
          f.send(io.trellis.api.SchedulerEvent.update(master.status(t, t.state, "REASON_RECONCILIATION",
              null, null, null)));
        }
      }
      return;
    }
    for (SchedulerCall.TaskRef ref : refs) {
      TaskRecord t = master.tasks.get(TaskRecord.key(f.id, ref.taskId()));
      f.send(io.trellis.api.SchedulerEvent.update(t != null
          ? master.status(t, t.state, "REASON_RECONCILIATION", null, null, null)
          : new TaskStatus(ref.taskId(), f.id.value(), ref.agentId(), TaskState.GONE,
              "REASON_RECONCILIATION", "the master does not know this task", null, null,
              master.clock.millis() / 1000.0)));
    }
  }

  // Agent side.

  /** A status update from an agent; forwarded to the framework, which acknowledges it. */
  void update(AgentProtocol.Update u) {
    TaskStatus s = u.status();
    log.debug("update {} {} {} from the agent", s.taskId(), s.state(), s.uuid());
    TaskRecord t = master.tasks.get(TaskRecord.key(FrameworkId.of(u.frameworkId()), s.taskId()));
    if (t == null) {
      // A retried update of a task already acknowledged and forgotten: confirm it to the agent.
      AgentState a = master.agent(AgentId.of(u.agentId()));
      if (a != null && s.uuid() != null) {
        agents.acknowledge(a.endpoint, new AgentProtocol.Acknowledge(s.taskId(), s.uuid()));
      }
      return;
    }
    apply(t, new TaskEvent.AgentReported(s.state(), s.reason(), s.message(), s.exitCode(), s.healthy()), s);
  }

  /** The tasks an (re-)registering agent reports; returns their allocations for the allocator. */
  List<Allocation> reconcileAgent(AgentState a, List<AgentProtocol.RunningTask> running) {
    List<Allocation> used = new ArrayList<>();
    Set<String> reported = new HashSet<>();
    for (AgentProtocol.RunningTask rt : running) {
      FrameworkId fw = FrameworkId.of(rt.frameworkId());
      String key = TaskRecord.key(fw, rt.task().taskId());
      reported.add(key);
      TaskRecord t = master.tasks.get(key);
      Resources res = Resources.parse(rt.task().resources());
      if (t == null) {
        t = new TaskRecord(fw, rt.role(), a.id, rt.task(), res);
        t.state = rt.state();
        t.healthy = rt.healthy();
        master.tasks.put(key, t);
        master.metrics.taskState(null, t.state);
      } else {
        apply(t, new TaskEvent.AgentReregistered(!rt.state().isTerminal()), null);
        t.holdsResources = true;
      }
      if (!rt.state().isTerminal()) {
        used.add(new Allocation(fw, rt.role(), res));
      }
    }
    for (TaskRecord t : new ArrayList<>(master.tasks.values())) {
      if (t.agentId.equals(a.id) && !reported.contains(TaskRecord.key(t.frameworkId, t.spec.taskId()))
          && !t.state.isTerminal() && t.state != TaskState.STAGING) {
        t.holdsResources = false;
        apply(t, new TaskEvent.ReconcileUnknown(), null);
      }
    }
    return used;
  }

  void agentUnreachable(AgentState a) {
    for (TaskRecord t : new ArrayList<>(master.tasks.values())) {
      if (t.agentId.equals(a.id) && !t.state.isTerminal()) {
        t.holdsResources = false;
        apply(t, new TaskEvent.AgentUnreachable(), null);
      }
    }
  }

  void agentLost(AgentState a) {
    for (TaskRecord t : new ArrayList<>(master.tasks.values())) {
      if (t.agentId.equals(a.id) && !t.state.isTerminal()) {
        t.holdsResources = false;
        apply(t, new TaskEvent.AgentLost(), null);
      }
    }
  }

  /** Runs the state machine and carries out what it decides. */
  private void apply(TaskRecord t, TaskEvent event, TaskStatus fromAgent) {
    TaskState before = t.state;
    Transition tr = TaskStateMachine.next(before, event);
    t.state = tr.state();
    if (before != t.state) {
      log.debug("task {} of {}: {} -> {}", t.spec.taskId(), t.frameworkId, before, t.state);
      master.metrics.taskState(before, t.state);
    }
    for (Effect effect : tr.effects()) {
      switch (effect.kind()) {
        case FORWARD_TO_FRAMEWORK -> {
          Effect.ForwardToFramework fwd = (Effect.ForwardToFramework) effect;
          TaskStatus status = fromAgent != null && fromAgent.state() == fwd.state()
              ? fromAgent
              : master.status(t, fwd.state(), fwd.reason(), fwd.message(), null, null);
          t.latest = status;
          master.forward(t, status);
        }
        case SEND_KILL_TO_AGENT -> {
          AgentState a = master.agent(t.agentId);
          if (a != null && a.reachable) {
            Double grace = t.spec.killGracePeriodSeconds();
            agents.kill(a.endpoint, new AgentProtocol.Kill(t.frameworkId.value(), t.spec.taskId(), grace));
          }
        }
        case RELEASE_RESOURCES -> release(t);
        case RECORD_HEALTH -> {
          boolean healthy = ((Effect.RecordHealth) effect).healthy();
          if (!Boolean.valueOf(healthy).equals(t.healthy)) {
            log.debug("task {} of {} is {}", t.spec.taskId(), t.frameworkId, healthy ? "healthy" : "unhealthy");
          }
          t.healthy = healthy;
        }
        case IGNORE -> {
          if (fromAgent != null && fromAgent.uuid() != null) {
            if (fromAgent.state() == t.state) {
              // A retried update the framework may not have seen: forward it again.
              master.forward(t, fromAgent);
            } else {
              // A stale update (RUNNING after a kill): confirm it ourselves, so the agent's
              // later updates are not stuck behind it.
              AgentState a = master.agent(t.agentId);
              if (a != null && a.reachable) {
                agents.acknowledge(a.endpoint, new AgentProtocol.Acknowledge(t.spec.taskId(), fromAgent.uuid()));
              }
            }
          }
        }
      }
    }
  }

  private void release(TaskRecord t) {
    if (t.holdsResources) {
      t.holdsResources = false;
      AgentState a = master.agent(t.agentId);
      if (a != null && a.reachable) {
        master.allocator.release(t.frameworkId, t.role, t.agentId, t.resources);
      }
    }
  }
}
