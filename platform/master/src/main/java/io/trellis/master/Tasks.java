package io.trellis.master;

import io.trellis.allocator.Allocation;
import io.trellis.api.AgentProtocol;
import io.trellis.api.ErrorBody;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import io.trellis.master.task.Effect;
import io.trellis.master.task.TaskEvent;
import io.trellis.master.task.TaskStateMachine;
import io.trellis.master.task.Transition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task lifecycle on the master: launches ({@link Accepts} places them), kills, agent updates,
 * reconciliation. The state machine decides; this class carries out the effects. Runs on the
 * event loop.
 */
final class Tasks {
  private static final Logger log = LoggerFactory.getLogger(Tasks.class);
  private final Master master;
  private final AgentClient agents;
  /** Kills and acknowledgements, sent per agent in batches. */
  private final AgentOutbox outbox;
  /** Tasks whose launch was sent and that are still STAGING, oldest first. */
  private final Map<String, TaskRecord> staging = new LinkedHashMap<>();

  Tasks(Master master, AgentClient agents) {
    this.master = master;
    this.agents = agents;
    this.outbox = new AgentOutbox(master.loop, agents);
  }

  // Launches.

  /**
   * Sends the launches of tasks placed on one agent in one call; if the agent cannot be reached,
   * each task FAILED.
   */
  void launch(AgentId agentId, List<TaskRecord> placed) {
    AgentState a = master.agent(agentId);
    List<AgentProtocol.Launch> launches = new ArrayList<>(placed.size());
    java.time.Instant now = master.clock.instant();
    for (TaskRecord t : placed) {
      launches.add(new AgentProtocol.Launch(t.frameworkId.value(), t.role, t.spec));
      t.launchSentAt = now;
      staging.put(TaskRecord.key(t.frameworkId, t.spec.taskId()), t);
    }
    agents.launch(a.endpoint, launches).whenComplete((ok, failure) -> {
      if (failure == null) {
        // The agent holds the launches; the framework may not have its answer yet.
        io.trellis.core.CrashPoints.reached("master.accept-forwarded");
        master.loop.execute(() -> placed.forEach(t -> t.launchDelivered = true));
      } else {
        master.loop.execute(() -> {
          log.warn("launch of {} tasks on agent {} failed: {}", placed.size(), agentId, failure.getMessage());
          for (TaskRecord t : placed) {
            apply(t, new TaskEvent.AgentReported(TaskState.FAILED, "REASON_AGENT_UNREACHABLE",
                "the agent could not be reached to launch the task: " + failure.getMessage(), null), null);
          }
        });
      }
    });
  }

  /**
   * Fails the tasks still STAGING longer than {@code timeout} after their launch was sent: the
   * agent never reported them starting (it lost the launch, or could not record it). The agent
   * is told to kill each, in case it starts it after all; the framework hears FAILED and
   * launches a replacement.
   */
  void retireStuckLaunches(java.time.Duration timeout) {
    java.time.Instant now = master.clock.instant();
    List<TaskRecord> stuck = new ArrayList<>();
    for (TaskRecord t : staging.values()) {
      if (java.time.Duration.between(t.launchSentAt, now).compareTo(timeout) <= 0) {
        break; // oldest first: the rest are younger
      }
      stuck.add(t);
    }
    for (TaskRecord t : stuck) {
      log.warn("task {} of {} still STAGING {} s after its launch on agent {}: failing it", t.spec.taskId(),
          t.frameworkId, timeout.toSeconds(), t.agentId);
      apply(t, new TaskEvent.LaunchTimedOut("agent " + t.agentId + " did not start the task within "
          + timeout.toSeconds() + " s of its launch (the launch timeout)"), null);
    }
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

  /**
   * The acknowledgements of an ACKNOWLEDGE: {@code acknowledge}, then {@code acknowledgements}.
   * Entries of the list must name their agent, task and update, or the call is refused (422,
   * each bad field by path) and nothing is acknowledged; a single {@code acknowledge} without
   * an update is ignored, as it always was.
   */
  static List<SchedulerCall.Acknowledge> acknowledgements(SchedulerCall call) {
    if (call.acknowledge() == null && call.acknowledgements() == null) {
      throw new ApiException(422, "the call needs its 'acknowledge' or 'acknowledgements' field",
          List.of(new ErrorBody.FieldError("acknowledge", "is required for this call type")));
    }
    List<ErrorBody.FieldError> errors = new ArrayList<>();
    List<SchedulerCall.Acknowledge> all = new ArrayList<>();
    if (call.acknowledge() != null) {
      all.add(call.acknowledge());
    }
    List<SchedulerCall.Acknowledge> list = call.acknowledgements() == null ? List.of() : call.acknowledgements();
    for (int i = 0; i < list.size(); i++) {
      SchedulerCall.Acknowledge a = list.get(i);
      String at = "acknowledgements[" + i + "]";
      if (a == null) {
        errors.add(new ErrorBody.FieldError(at, "is empty: give agentId, taskId and uuid"));
        continue;
      }
      requireField(errors, at + ".agentId", a.agentId());
      requireField(errors, at + ".taskId", a.taskId());
      requireField(errors, at + ".uuid", a.uuid());
      all.add(a);
    }
    if (!errors.isEmpty()) {
      throw new ApiException(422, errors.size() + " invalid acknowledgement field(s); none was acknowledged", errors);
    }
    return all;
  }

  private static void requireField(List<ErrorBody.FieldError> errors, String path, String value) {
    if (value == null || value.isBlank()) {
      errors.add(new ErrorBody.FieldError(path, "is required"));
    }
  }

  /**
   * The framework's acknowledgements, in order: each is passed on to its task's agent (one call
   * per agent), and a task whose terminal update is acknowledged is forgotten.
   */
  void acknowledge(FrameworkState f, List<SchedulerCall.Acknowledge> acks) {
    Map<AgentState, List<AgentProtocol.Acknowledge>> byAgent = new LinkedHashMap<>();
    for (SchedulerCall.Acknowledge ack : acks) {
      log.debug("acknowledgement of {} {} from the framework", ack.taskId(), ack.uuid());
      AgentState a = ack.agentId() == null ? null : master.agent(AgentId.of(ack.agentId()));
      if (a == null || !a.reachable || ack.uuid() == null) {
        continue;
      }
      byAgent.computeIfAbsent(a, k -> new ArrayList<>()).add(new AgentProtocol.Acknowledge(ack.taskId(), ack.uuid()));
      TaskRecord t = master.tasks.get(TaskRecord.key(f.id, ack.taskId()));
      if (t != null && t.state.isTerminal()) {
        master.forgetTask(t);
      }
    }
    byAgent.forEach((a, list) -> outbox.acknowledge(a.endpoint, list));
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
        outbox.acknowledge(a.endpoint, List.of(new AgentProtocol.Acknowledge(s.taskId(), s.uuid())));
      }
      if (a != null && a.reachable && !s.state().isTerminal()) {
        // A task the master already ended (its launch timed out, or the agent re-registered
        // without it) that runs after all: nobody would ever stop it otherwise.
        log.info("agent {} reports task {} of {} {}, a task this master has ended: killing it", a.id,
            s.taskId(), u.frameworkId(), s.state());
        outbox.kill(a.endpoint, new AgentProtocol.Kill(u.frameworkId(), s.taskId(), null));
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
        t.latest = rt.status();
        master.tasks.put(key, t);
        master.metrics.taskState(null, t.state);
      } else {
        // The allocator's view of this agent is rebuilt from what it reports (used, below), so
        // nothing is released to it while the agent registers: the agent is not in it yet.
        t.holdsResources = false;
        if (rt.state().isTerminal()) {
          // The task ended while the master could not hear of it: the agent's own account (state,
          // reason, exit code) is the truth, not "re-registered without the task".
          TaskStatus s = rt.status() != null && rt.status().state() == rt.state() ? rt.status()
              : master.status(t, rt.state(), null, "reported by agent " + a.id + " when it registered again",
                  null, null);
          apply(t, new TaskEvent.AgentReported(s.state(), s.reason(), s.message(), s.exitCode()), s);
        } else {
          apply(t, new TaskEvent.AgentReregistered(true), null);
        }
        t.holdsResources = !rt.state().isTerminal();
      }
      if (!rt.state().isTerminal()) {
        used.add(new Allocation(fw, rt.role(), res));
      }
    }
    // A STAGING task whose launch the agent has not answered yet may still arrive after this
    // registration: the launch timeout covers it. One the agent took and does not list is lost.
    for (TaskRecord t : new ArrayList<>(master.tasks.values())) {
      if (t.agentId.equals(a.id) && !reported.contains(TaskRecord.key(t.frameworkId, t.spec.taskId()))
          && !t.state.isTerminal() && (t.state != TaskState.STAGING || t.launchDelivered)) {
        t.holdsResources = false;
        // A launch the agent took and lost is GONE for a reason frameworks replace at once.
        apply(t, t.state == TaskState.STAGING ? new TaskEvent.AgentReregistered(false) : new TaskEvent.ReconcileUnknown(),
            null);
      }
    }
    return used;
  }

  /** The agents were found silent: their tasks are UNREACHABLE (one pass over the tasks for all of them). */
  void agentsUnreachable(Set<AgentId> silent) {
    for (TaskRecord t : new ArrayList<>(master.tasks.values())) {
      if (silent.contains(t.agentId) && !t.state.isTerminal()) {
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
    if (before == TaskState.STAGING && t.state != TaskState.STAGING) {
      staging.remove(TaskRecord.key(t.frameworkId, t.spec.taskId()));
    }
    if (before != t.state) {
      log.debug("task {} of {}: {} -> {}", t.spec.taskId(), t.frameworkId, before, t.state);
      master.metrics.taskState(before, t.state);
      String why = fromAgent != null && fromAgent.message() != null ? ": " + fromAgent.message() : "";
      String text = "task " + t.spec.taskId() + " " + before.name().toLowerCase(java.util.Locale.ROOT) + " → "
          + t.state.name().toLowerCase(java.util.Locale.ROOT) + why;
      if (t.state == TaskState.FAILED || t.state == TaskState.LOST || t.state == TaskState.ERROR
          || t.state == TaskState.GONE || t.state == TaskState.UNREACHABLE) {
        master.events.warning("task", text);
      } else {
        master.events.info("task", text);
      }
    }
    for (Effect effect : tr.effects()) {
      switch (effect.kind()) {
        case FORWARD_TO_FRAMEWORK -> {
          Effect.ForwardToFramework fwd = (Effect.ForwardToFramework) effect;
          TaskStatus status = fromAgent != null && fromAgent.state() == fwd.state()
              ? fromAgent
              : master.status(t, fwd.state(), fwd.reason(), fwd.message(), null, null);
          if (t.preemptedFor != null && status.state().isTerminal()) {
            status = preempted(status, t.preemptedFor);
          }
          t.latest = status;
          master.forward(t, status);
        }
        case SEND_KILL_TO_AGENT -> {
          AgentState a = master.agent(t.agentId);
          if (a != null && a.reachable) {
            Double grace = t.killGraceSeconds != null ? t.killGraceSeconds : t.spec.killGracePeriodSeconds();
            outbox.kill(a.endpoint, new AgentProtocol.Kill(t.frameworkId.value(), t.spec.taskId(), grace));
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
                outbox.acknowledge(a.endpoint, List.of(new AgentProtocol.Acknowledge(t.spec.taskId(), fromAgent.uuid())));
                if (t.state.isTerminal() && !fromAgent.state().isTerminal()) {
                  // Ended here (its launch timed out, say) yet running there: stop it.
                  outbox.kill(a.endpoint, new AgentProtocol.Kill(t.frameworkId.value(), t.spec.taskId(), null));
                }
              }
            }
          }
        }
      }
    }
  }

  /** The terminal update of a preempted task: reason PREEMPTED, and for whom. */
  static TaskStatus preempted(TaskStatus s, String why) {
    return new TaskStatus(s.taskId(), s.frameworkId(), s.agentId(), s.state(), REASON_PREEMPTED, why, s.exitCode(),
        s.uuid(), s.timestamp(), s.healthy());
  }

  static final String REASON_PREEMPTED = "PREEMPTED";

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
