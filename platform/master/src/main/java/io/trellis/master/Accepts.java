package io.trellis.master;

import io.trellis.allocator.Offer;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.core.id.AgentId;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ACCEPT: groups the call's offers by agent, places each task in the group of its agent, launches
 * what fits and gives the rest of every offer back to the allocator. The semantics are those of
 * {@link SchedulerCall.Accept}. Runs on the event loop.
 */
final class Accepts {
  private final Master master;
  private final Tasks tasks;

  Accepts(Master master, Tasks tasks) {
    this.master = master;
    this.tasks = tasks;
  }

  /** The offers of one agent in the call, what remains of each and what its tasks take. */
  private static final class Group {
    final AgentId agentId;
    final List<Offer> offers = new ArrayList<>();
    final List<Resources> remaining = new ArrayList<>();
    final List<Resources> taken = new ArrayList<>();
    final List<TaskRecord> launched = new ArrayList<>();

    Group(AgentId agentId) {
      this.agentId = agentId;
    }

    void add(Offer o) {
      offers.add(o);
      remaining.add(o.resources());
      taken.add(Resources.empty());
    }

    /** The index of the first offer that holds {@code need}, or -1. */
    int fit(Resources need) {
      for (int i = 0; i < remaining.size(); i++) {
        if (remaining.get(i).contains(need)) {
          return i;
        }
      }
      return -1;
    }

    String holds() {
      List<String> parts = new ArrayList<>();
      for (Resources r : remaining) {
        parts.add(r.toString());
      }
      return String.join(" + ", parts);
    }
  }

  void accept(FrameworkState f, SchedulerCall.Accept accept) {
    accept(f, accept, Map.of());
  }

  /** @param refused tasks the container policy refused, by id, with the reason */
  void accept(FrameworkState f, SchedulerCall.Accept accept, Map<String, String> refused) {
    Map<AgentId, Group> groups = new LinkedHashMap<>();
    Set<String> seenOffers = new HashSet<>();
    List<String> unknown = new ArrayList<>();
    for (String id : accept.offerIds() == null ? List.<String>of() : accept.offerIds()) {
      if (!seenOffers.add(String.valueOf(id))) {
        continue;
      }
      Offer o = master.offer(f, id);
      if (o == null) {
        unknown.add(id);
      } else {
        groups.computeIfAbsent(o.agentId(), Group::new).add(o);
      }
    }
    String offerProblem = unknown.isEmpty() ? null : (unknown.size() == 1 ? "unknown offer '" + unknown.get(0) + "'"
        : "unknown offers " + unknown) + " (rescinded, already used or not offered to this framework)";
    List<TaskSpec> launches = accept.launch() == null ? List.of() : accept.launch();
    Set<String> ids = new HashSet<>();
    for (TaskSpec spec : launches) {
      String refusal = spec == null || spec.taskId() == null ? null : refused.get(spec.taskId());
      if (refusal != null) {
        master.error(f, spec, "REASON_TASK_UNAUTHORIZED", refusal);
        continue;
      }
      Checked checked = validate(f, spec, ids);
      String problem = checked.problem();
      Group g = null;
      Resources need = checked.need();
      int fit = -1;
      if (problem == null) {
        g = groupOf(spec, groups);
        if (g == null) {
          problem = noGroup(spec, groups, offerProblem);
        }
      }
      if (problem == null) {
        fit = g.fit(need);
        if (fit < 0) {
          problem = "task " + spec.taskId() + " needs " + need + " but the offers"
              + (groups.size() > 1 ? " of agent " + g.agentId : "") + " hold " + g.holds() + " (resources not in the offer)";
        }
      }
      if (problem != null) {
        master.error(f, spec, problem);
        continue;
      }
      ids.add(spec.taskId());
      g.remaining.set(fit, g.remaining.get(fit).minus(need));
      g.taken.set(fit, g.taken.get(fit).plus(need));
      Offer o = g.offers.get(fit);
      TaskSpec placed = new TaskSpec(spec.taskId(), spec.name(), o.agentId().value(), spec.resources(),
          spec.command(), spec.labels(), spec.killGracePeriodSeconds(), spec.container(), spec.healthChecks(),
          spec.priority(), spec.preemptible());
      TaskRecord t = new TaskRecord(f.id, o.role(), o.agentId(), placed, need);
      master.tasks.put(TaskRecord.key(f.id, spec.taskId()), t);
      master.metrics.taskState(null, TaskState.STAGING);
      master.events.info("task", "task " + spec.taskId() + " of framework " + f.info.name() + " launched on agent "
          + o.agentId());
      g.launched.add(t);
    }
    Duration refuse = master.refuse(accept.filters() == null ? null : accept.filters().refuseSeconds());
    for (Group g : groups.values()) {
      for (int i = 0; i < g.offers.size(); i++) {
        master.forgetOffer(g.offers.get(i).id());
        master.allocator.accept(g.offers.get(i).id(), g.taken.get(i), refuse);
      }
    }
    for (Group g : groups.values()) {
      if (!g.launched.isEmpty()) {
        tasks.launch(g.agentId, g.launched);
      }
    }
  }

  /** The group a task goes to: its agent's, or the only one when it names none; null if none fits. */
  private static Group groupOf(TaskSpec spec, Map<AgentId, Group> groups) {
    if (spec.agentId() != null && !spec.agentId().isBlank()) {
      return groups.get(AgentId.of(spec.agentId()));
    }
    return groups.size() == 1 ? groups.values().iterator().next() : null;
  }

  private static String noGroup(TaskSpec spec, Map<AgentId, Group> groups, String offerProblem) {
    if (groups.isEmpty()) {
      return offerProblem != null ? offerProblem : "ACCEPT names no offer";
    }
    String why = spec.agentId() == null || spec.agentId().isBlank()
        ? "task " + spec.taskId() + " names no agent but the offers are on " + groups.size() + " agents: set its agentId"
        : "task " + spec.taskId() + " names agent '" + spec.agentId() + "' but this ACCEPT holds no offer of it";
    return offerProblem == null ? why : why + "; " + offerProblem;
  }

  /** A task checked alone: its problem, or none and the resources it needs. */
  private record Checked(String problem, Resources need) {
    static Checked invalid(String problem) {
      return new Checked(problem, null);
    }
  }

  private Checked validate(FrameworkState f, TaskSpec spec, Set<String> idsInCall) {
    if (spec == null) {
      return Checked.invalid("launch holds an empty task");
    }
    if (spec.taskId() == null || spec.taskId().isBlank()) {
      return Checked.invalid("taskId is required");
    }
    String badId = io.trellis.core.id.DirectoryName.problem(spec.taskId());
    if (badId != null) {
      // It names the task's sandbox directory on the agent: never a path out of it.
      return Checked.invalid("task id " + badId);
    }
    if (idsInCall.contains(spec.taskId()) || master.tasks.containsKey(TaskRecord.key(f.id, spec.taskId()))) {
      return Checked.invalid("duplicate task id '" + spec.taskId() + "': task ids must be unique within the framework");
    }
    if (spec.command() == null || spec.command().value() == null || spec.command().value().isBlank()) {
      if (spec.container() == null) {
        return Checked.invalid("task " + spec.taskId() + " has no command: set command.value");
      }
    }
    Resources need;
    try {
      need = Resources.parse(spec.resources() == null ? "" : spec.resources());
    } catch (InvalidResourceException e) {
      return Checked.invalid("task " + spec.taskId() + " has invalid resources: " + e.getMessage());
    }
    if (!(need.scalar(Resources.CPUS) > 0) || !(need.scalar(Resources.MEM) > 0)) {
      return Checked.invalid("task " + spec.taskId() + " needs cpus > 0 and mem > 0, got '" + spec.resources() + "'");
    }
    if (spec.priority() != null && (spec.priority() < io.trellis.api.FrameworkInfo.MIN_PRIORITY
        || spec.priority() > io.trellis.api.FrameworkInfo.MAX_PRIORITY)) {
      return Checked.invalid("task " + spec.taskId() + " has priority " + spec.priority() + ": it must be from "
          + io.trellis.api.FrameworkInfo.MIN_PRIORITY + " to " + io.trellis.api.FrameworkInfo.MAX_PRIORITY);
    }
    List<String> checkProblems = HealthCheckRules.problems(spec.healthChecks());
    if (!checkProblems.isEmpty()) {
      return Checked.invalid("task " + spec.taskId() + " has invalid health checks: " + String.join("; ", checkProblems));
    }
    return new Checked(null, need);
  }
}
