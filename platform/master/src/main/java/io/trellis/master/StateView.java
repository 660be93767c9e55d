package io.trellis.master;

import io.trellis.allocator.Offer;
import io.trellis.api.TaskState;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The operator's view of the cluster, as JSON records. Built on the event loop. */
public final class StateView {
  private StateView() {}

  /**
   * @param leading whether this master leads (a standby answers with a redirect instead)
   * @param recovered whether recovery after taking office is over: every agent an earlier leader
   *     knew has registered again, or the agent timeout has passed
   * @param epoch the leader epoch (0 for a master that leads alone)
   */
  public record State(String masterId, String endpoint, boolean leading, boolean recovered, long epoch,
      List<Agent> agents, List<Framework> frameworks, List<Task> tasks, List<OfferView> offers,
      List<RoleView> roles) {}

  public record Agent(String id, String hostname, String endpoint, boolean reachable, String total,
      String used, Map<String, String> attributes, double registeredAt) {}

  /**
   * @param priority the framework's priority (0 unless it gave one)
   * @param preempted how many of its tasks were preempted since this master leads
   * @param webuiUrl where the framework serves its own API or UI, as it said when it subscribed, or null
   */
  public record Framework(String id, String name, List<String> roles, boolean connected,
      Map<String, Double> shares, Map<String, String> allocated, Map<String, List<String>> reasons,
      List<DemandView> demands, int priority, long preempted, String webuiUrl) {}

  /**
   * One demand a framework stated (REQUEST). For a gang: its state, what it holds per agent,
   * how many members fit now and what blocks the rest (or why it expired or failed).
   */
  public record DemandView(String id, String role, String resources, int count, List<String> constraints,
      io.trellis.api.SchedulerCall.Gang gang, io.trellis.api.GangState state, Map<String, String> held,
      Integer membersFitting, String reason, double since, double waitingSeconds) {}

  public record Task(String id, String name, String frameworkId, String agentId, String role,
      TaskState state, String resources, String reason, String message, Integer exitCode, Boolean healthy,
      Map<String, String> labels) {}

  public record OfferView(String id, String frameworkId, String agentId, String role, String resources) {}

  /** @param preemptible false: the role's tasks are never preempted */
  public record RoleView(String name, double weight, String guarantee, String limit, Double share,
      boolean preemptible) {}

  public static State of(Master m) {
    Map<io.trellis.core.id.AgentId, Resources> used = usedByAgent(m);
    List<Agent> agents = new ArrayList<>();
    for (AgentState a : m.agents.values()) {
      agents.add(agent(a, used.getOrDefault(a.id, Resources.empty())));
    }
    List<Framework> frameworks = frameworks(m);
    List<Task> tasks = new ArrayList<>();
    List<TaskRecord> all = new ArrayList<>(m.completed);
    all.addAll(m.tasks.values());
    for (TaskRecord t : all) {
      tasks.add(task(t));
    }
    List<OfferView> offers = new ArrayList<>();
    for (Offer o : m.allocator.outstandingOffers()) {
      offers.add(new OfferView(o.id().value(), o.frameworkId().value(), o.agentId().value(), o.role(),
          o.resources().toString()));
    }
    return new State(m.masterId, m.endpoint, m.tenure.holds(), m.recovered(), m.tenure.epoch(), agents, frameworks,
        tasks, offers, roles(m));
  }

  /** Every framework with its shares, allocations, waiting reasons and demands. */
  static List<Framework> frameworks(Master m) {
    List<Framework> frameworks = new ArrayList<>();
    for (FrameworkState f : m.frameworks.values()) {
      Map<String, Double> shares = new TreeMap<>();
      Map<String, String> allocated = new TreeMap<>();
      Map<String, List<String>> reasons = new TreeMap<>();
      for (String role : f.info.roles()) {
        shares.put(role, m.allocator.frameworkShare(f.id, role));
        allocated.put(role, m.allocator.allocated(f.id, role).toString());
        List<String> why = new ArrayList<>();
        m.allocator.explain(f.id, role).forEach(r -> why.add(r.toString()));
        reasons.put(role, why);
      }
      frameworks.add(new Framework(f.id.value(), f.info.name(), f.info.roles(), f.connected(), shares,
          allocated, reasons, demands(m, f), f.info.priorityOrDefault(), m.preemptions.preempted(f.id),
          f.info.webuiUrl()));
    }
    return frameworks;
  }

  /** What the live tasks of each agent use: one pass over the tasks. */
  static Map<io.trellis.core.id.AgentId, Resources> usedByAgent(Master m) {
    Map<io.trellis.core.id.AgentId, Resources> used = new java.util.HashMap<>();
    for (TaskRecord t : m.tasks.values()) {
      if (!t.state.isTerminal()) {
        used.merge(t.agentId, t.resources, Resources::plus);
      }
    }
    return used;
  }

  /** An agent as the API shows it, its live tasks using {@code used}. */
  static Agent agent(AgentState a, Resources used) {
    return new Agent(a.id.value(), a.hostname, a.endpoint, a.reachable, a.total.toString(), used.toString(),
        a.attributes.values(), a.registeredAt.toEpochMilli() / 1000.0);
  }

  /** A task as the API shows it. */
  static Task task(TaskRecord t) {
    return new Task(t.spec.taskId(), t.spec.name(), t.frameworkId.value(), t.agentId.value(), t.role,
        t.state, t.resources.toString(), t.latest == null ? null : t.latest.reason(),
        t.latest == null ? null : t.latest.message(), t.latest == null ? null : t.latest.exitCode(),
        t.healthy, t.spec.labels());
  }

  private static List<DemandView> demands(Master m, FrameworkState f) {
    List<DemandView> out = new ArrayList<>();
    java.time.Instant now = m.clock.instant();
    for (io.trellis.allocator.DemandStatus s : m.allocator.demands(f.id)) {
      var d = s.demand();
      Map<String, String> held = new TreeMap<>();
      s.held().forEach((agent, r) -> held.put(agent.value(), r.toString()));
      io.trellis.api.SchedulerCall.Gang gang = d.gang() == null ? null : new io.trellis.api.SchedulerCall.Gang(
          d.gang().minMember(), d.gang().timeout().toMillis() / 1000.0,
          d.gang().hard() ? io.trellis.api.SchedulerCall.GangMode.HARD : io.trellis.api.SchedulerCall.GangMode.SOFT);
      boolean waiting = s.state() == io.trellis.allocator.DemandStatus.State.WAITING
          || s.state() == io.trellis.allocator.DemandStatus.State.HELD;
      out.add(new DemandView(d.id(), d.role(), d.member().toString(), d.count(),
          d.constraints().stream().map(Object::toString).toList(), gang,
          s.state() == null ? null : io.trellis.api.GangState.valueOf(s.state().name()), held,
          s.state() == null ? null : s.membersFitting(), s.reason(), s.since().toEpochMilli() / 1000.0,
          waiting ? java.time.Duration.between(s.since(), now).toMillis() / 1000.0 : 0));
    }
    return out;
  }

  public static List<RoleView> roles(Master m) {
    Map<String, RoleView> out = new TreeMap<>();
    for (FrameworkState f : m.frameworks.values()) {
      for (String role : f.info.roles()) {
        out.put(role, new RoleView(role, 1.0, "", "", share(m, role), true));
      }
    }
    m.roles.forEach((name, r) -> out.put(name, new RoleView(name, r.weight(),
        r.quota().guarantee().toString(), r.quota().limit().toString(), share(m, name), r.preemptible())));
    return new ArrayList<>(out.values());
  }

  private static Double share(Master m, String role) {
    try {
      return m.allocator.roleShare(role);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }
}
