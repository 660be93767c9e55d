package io.trellis.master;

import io.trellis.allocator.Offer;
import io.trellis.api.TaskState;
import io.trellis.core.resource.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What the web UI shows, summed up and paged on the master so that a page over a thousand agents
 * and ten thousand tasks stays small: one pass over tasks per call, never agents × tasks. Built on
 * the event loop.
 */
public final class ClusterPages {
  /** The largest page a caller may ask for. */
  public static final int MAX_LIMIT = 500;

  private ClusterPages() {}

  /**
   * The cluster at a glance.
   *
   * @param resources per resource name: total, used by tasks, offered and idle (total − used −
   *     offered), over reachable agents
   * @param agents one page of agents, ordered by id
   */
  public record Overview(String masterId, String endpoint, boolean leading, boolean recovered, long epoch,
      int agentsReachable, int agentsUnreachable, Map<TaskState, Integer> tasksByState,
      Map<String, ResourceRow> resources, Page<StateView.Agent> agents, List<StateView.Framework> frameworks,
      List<StateView.RoleView> roles, int offers, List<Leader> leaders, List<Sample> history) {}

  /** The cluster at one instant of the last hour ({@code at} in seconds since the epoch): what the charts draw. */
  public record Sample(double at, double cpusTotal, double cpusAllocated, double memTotal, double memAllocated,
      int staging, int running, int killing, int offers) {}

  /** One term of leadership: newest last. */
  public record Leader(long epoch, String masterId, String endpoint, double since) {}

  public record ResourceRow(double total, double used, double offered, double idle) {}

  public record Page<T>(int total, int offset, List<T> items) {}

  /** Which tasks a caller wants: each field null or blank for "any". */
  public record TaskFilter(String framework, String role, String state, String agent, String text) {
    Predicate<StateView.Task> predicate() {
      String needle = blank(text) ? null : text.toLowerCase(Locale.ROOT);
      return t -> (blank(framework) || framework.equals(t.frameworkId()))
          && (blank(role) || role.equals(t.role()))
          && (blank(state) || state.equalsIgnoreCase(t.state().name()))
          && (blank(agent) || agent.equals(t.agentId()))
          && (needle == null || t.id().toLowerCase(Locale.ROOT).contains(needle)
              || (t.name() != null && t.name().toLowerCase(Locale.ROOT).contains(needle)));
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }
  }

  /** The overview with agents {@code [offset, offset + limit)} whose id or hostname holds {@code agentText}. */
  public static Overview overview(Master m, int offset, int limit, String agentText) {
    Map<io.trellis.core.id.AgentId, Resources> usedByAgent = StateView.usedByAgent(m);
    Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
    m.tasks.values().forEach(t -> byState.merge(t.state, 1, Integer::sum));
    m.completed.forEach(t -> byState.merge(t.state, 1, Integer::sum));
    Resources total = Resources.empty();
    Resources used = Resources.empty();
    int reachable = 0;
    List<StateView.Agent> matching = new ArrayList<>();
    String needle = agentText == null || agentText.isBlank() ? null : agentText.toLowerCase(Locale.ROOT);
    for (AgentState a : m.agents.values()) {
      Resources u = usedByAgent.getOrDefault(a.id, Resources.empty());
      if (a.reachable) {
        reachable++;
        total = total.plus(a.total);
        used = used.plus(u);
      }
      if (needle == null || a.id.value().toLowerCase(Locale.ROOT).contains(needle)
          || (a.hostname != null && a.hostname.toLowerCase(Locale.ROOT).contains(needle))) {
        matching.add(StateView.agent(a, u));
      }
    }
    Resources offered = Resources.empty();
    int offers = 0;
    for (Offer o : m.allocator.outstandingOffers()) {
      offered = offered.plus(o.resources());
      offers++;
    }
    matching.sort(Comparator.comparing(StateView.Agent::id));
    Map<String, ResourceRow> rows = new TreeMap<>();
    TreeSet<String> names = new TreeSet<>();
    total.entries().stream().filter(io.trellis.core.resource.Resource::isScalar).forEach(r -> names.add(r.name()));
    for (String name : names) {
      double t = total.scalar(name);
      double u = used.scalar(name);
      double o = offered.scalar(name);
      rows.put(name, new ResourceRow(t, u, o, Math.max(0, t - u - o)));
    }
    return new Overview(m.masterId, m.endpoint, m.tenure.holds(), m.recovered(), m.tenure.epoch(), reachable,
        m.agents.size() - reachable, byState, rows, page(matching, offset, limit), StateView.frameworks(m),
        StateView.roles(m), offers, m.leaders.stream()
            .map(l -> new Leader(l.epoch(), l.masterId(), l.endpoint(), l.at())).toList(), m.history.samples());
  }

  /** One page of tasks, live ones first (by id), then completed ones, newest first. */
  public static Page<StateView.Task> tasks(Master m, TaskFilter filter, int offset, int limit) {
    Predicate<StateView.Task> keep = filter.predicate();
    List<StateView.Task> live = new ArrayList<>();
    for (TaskRecord t : m.tasks.values()) {
      StateView.Task v = StateView.task(t);
      if (keep.test(v)) {
        live.add(v);
      }
    }
    live.sort(Comparator.comparing(StateView.Task::id));
    List<StateView.Task> done = new ArrayList<>();
    var newestFirst = m.completed.descendingIterator();
    while (newestFirst.hasNext()) {
      StateView.Task v = StateView.task(newestFirst.next());
      if (keep.test(v)) {
        done.add(v);
      }
    }
    live.addAll(done);
    return page(live, offset, limit);
  }

  /** Where a task's sandbox is: the agent's endpoint, or empty for a task this master does not know. */
  public static java.util.Optional<String> sandboxAgent(Master m, String framework, String task) {
    io.trellis.core.id.FrameworkId id;
    try {
      id = io.trellis.core.id.FrameworkId.of(framework);
    } catch (IllegalArgumentException notAnId) {
      return java.util.Optional.empty();
    }
    TaskRecord t = m.tasks.get(TaskRecord.key(id, task));
    if (t == null) {
      for (TaskRecord done : m.completed) {
        if (done.frameworkId.equals(id) && done.spec.taskId().equals(task)) {
          t = done;
        }
      }
    }
    AgentState a = t == null ? null : m.agents.get(t.agentId);
    return a == null ? java.util.Optional.empty() : java.util.Optional.of(a.endpoint);
  }

  /** The agent's answer to reading ({@code call} read) or listing (browse) a sandbox for a caller, with the caller's credentials. */
  public static java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> sandbox(Master m,
      String agentEndpoint, String call, String query, String authorization) {
    return m.agentClient().sandbox(agentEndpoint, call, query, authorization);
  }

  /** Where a framework serves its API (as it said when it subscribed) and who subscribed it ("" when unknown). */
  public record WebTarget(String url, String principal) {}

  public static java.util.Optional<WebTarget> webTarget(Master m, String frameworkId) {
    FrameworkState f;
    try {
      f = m.frameworks.get(io.trellis.core.id.FrameworkId.of(frameworkId));
    } catch (IllegalArgumentException notAnId) {
      return java.util.Optional.empty();
    }
    if (f == null || f.info.webuiUrl() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new WebTarget(f.info.webuiUrl(), f.principal == null ? "" : f.principal));
  }

  /** The HTTP client the master reaches agents with (its TLS settings), for calls on a user's behalf. */
  public static java.net.http.HttpClient webClient(Master m) {
    return m.agentClient().httpClient();
  }

  private static <T> Page<T> page(List<T> all, int offset, int limit) {
    int from = Math.min(Math.max(0, offset), all.size());
    int to = Math.min(all.size(), from + Math.max(0, Math.min(limit, MAX_LIMIT)));
    return new Page<>(all.size(), from, List.copyOf(all.subList(from, to)));
  }
}
