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
   */
  public record Framework(String id, String name, List<String> roles, boolean connected,
      Map<String, Double> shares, Map<String, String> allocated, Map<String, List<String>> reasons,
      int priority, long preempted) {}

  public record Task(String id, String name, String frameworkId, String agentId, String role,
      TaskState state, String resources, String reason, String message, Integer exitCode, Boolean healthy,
      Map<String, String> labels) {}

  public record OfferView(String id, String frameworkId, String agentId, String role, String resources) {}

  /** @param preemptible false: the role's tasks are never preempted */
  public record RoleView(String name, double weight, String guarantee, String limit, Double share,
      boolean preemptible) {}

  public static State of(Master m) {
    List<Agent> agents = new ArrayList<>();
    for (AgentState a : m.agents.values()) {
      Resources used = Resources.empty();
      for (TaskRecord t : m.tasks.values()) {
        if (t.agentId.equals(a.id) && !t.state.isTerminal()) {
          used = used.plus(t.resources);
        }
      }
      agents.add(new Agent(a.id.value(), a.hostname, a.endpoint, a.reachable, a.total.toString(),
          used.toString(), a.attributes.values(), a.registeredAt.toEpochMilli() / 1000.0));
    }
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
          allocated, reasons, f.info.priorityOrDefault(), m.preemptions.preempted(f.id)));
    }
    List<Task> tasks = new ArrayList<>();
    List<TaskRecord> all = new ArrayList<>(m.completed);
    all.addAll(m.tasks.values());
    for (TaskRecord t : all) {
      tasks.add(new Task(t.spec.taskId(), t.spec.name(), t.frameworkId.value(), t.agentId.value(), t.role,
          t.state, t.resources.toString(), t.latest == null ? null : t.latest.reason(),
          t.latest == null ? null : t.latest.message(), t.latest == null ? null : t.latest.exitCode(),
          t.healthy, t.spec.labels()));
    }
    List<OfferView> offers = new ArrayList<>();
    for (Offer o : m.allocator.outstandingOffers()) {
      offers.add(new OfferView(o.id().value(), o.frameworkId().value(), o.agentId().value(), o.role(),
          o.resources().toString()));
    }
    return new State(m.masterId, m.endpoint, m.tenure.holds(), m.recovered(), m.tenure.epoch(), agents, frameworks,
        tasks, offers, roles(m));
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
