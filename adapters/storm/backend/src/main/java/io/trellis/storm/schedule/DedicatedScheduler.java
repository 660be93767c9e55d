package io.trellis.storm.schedule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.storm.metric.StormMetricsRegistry;
import org.apache.storm.scheduler.Cluster;
import org.apache.storm.scheduler.EvenScheduler;
import org.apache.storm.scheduler.ExecutorDetails;
import org.apache.storm.scheduler.IScheduler;
import org.apache.storm.scheduler.SchedulerAssignment;
import org.apache.storm.scheduler.SupervisorDetails;
import org.apache.storm.scheduler.Topologies;
import org.apache.storm.scheduler.TopologyDetails;
import org.apache.storm.scheduler.WorkerSlot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nimbus' scheduler on Trellis. Every supervisor runs in a Trellis task launched for one topology
 * (its {@code supervisor.scheduler.meta} names both); a topology's executors go only to the slots
 * of its own supervisors, spread evenly as Storm's {@code EvenScheduler} spreads them. So a
 * supervisor task's labels name the topology of its workers, each supervisor is sized for its
 * topology's workers, and a killed topology leaves supervisors that can simply be stopped. After
 * each round the scheduler hands a {@link StormView} to the Trellis framework and shows the
 * framework's waiting reasons as the topologies' scheduler status.
 */
public final class DedicatedScheduler implements IScheduler {
  public static final String META_TASK = "trellis.task.id";
  public static final String META_TOPOLOGY = "trellis.topology.id";
  private static final Logger log = LoggerFactory.getLogger(DedicatedScheduler.class);

  private final WorkerSize defaults;
  private final Consumer<StormView> listener;
  private final Function<String, String> statuses;
  private final Predicate<String> supervisorsComing;
  private final Predicate<String> taskGone;

  /**
   * @param listener receives the view after every round
   * @param statuses the framework's waiting reason of a topology, or {@code null}
   * @param supervisorsComing whether supervisors launched for a topology have not registered yet
   * @param taskGone whether the Trellis task of a supervisor has ended (Storm learns it only when
   *     the supervisor's heartbeats time out)
   */
  public DedicatedScheduler(WorkerSize defaults, Consumer<StormView> listener, Function<String, String> statuses,
      Predicate<String> supervisorsComing, Predicate<String> taskGone) {
    this.defaults = defaults;
    this.listener = listener;
    this.statuses = statuses;
    this.supervisorsComing = supervisorsComing;
    this.taskGone = taskGone;
  }

  @Override
  public void prepare(Map<String, Object> conf, StormMetricsRegistry metricsRegistry) {}

  @Override
  public Map<String, Map<String, Double>> config() {
    return Map.of();
  }

  @Override
  public void schedule(Topologies topologies, Cluster cluster) {
    if (log.isDebugEnabled()) {
      cluster.getSupervisors().values().forEach(s -> log.debug("supervisor {} on {} ports {} meta {}", s.getId(),
          s.getHost(), s.getAllPorts(), s.getSchedulerMeta()));
      log.debug("topologies needing scheduling: {}", cluster.needsSchedulingTopologies().stream()
          .map(TopologyDetails::getId).toList());
    }
    freeSlotsOfEndedTasks(topologies, cluster);
    for (TopologyDetails td : cluster.needsSchedulingTopologies()) {
      scheduleOne(td, cluster);
    }
    for (TopologyDetails td : topologies.getTopologies()) {
      String status = statuses.apply(td.getId());
      if (status != null) {
        cluster.setStatus(td.getId(), status);
      } else if (cluster.getAssignedNumWorkers(td) >= td.getNumWorkers()) {
        cluster.setStatus(td.getId(), "Running " + td.getNumWorkers() + " workers on Trellis supervisors");
      }
    }
    listener.accept(view(topologies, cluster));
  }

  /** Workers on supervisors whose Trellis task ended are lost: their executors go elsewhere now. */
  private void freeSlotsOfEndedTasks(Topologies topologies, Cluster cluster) {
    for (TopologyDetails td : topologies.getTopologies()) {
      SchedulerAssignment a = cluster.getAssignmentById(td.getId());
      if (a == null) {
        continue;
      }
      List<WorkerSlot> lost = new ArrayList<>();
      for (WorkerSlot slot : a.getSlots()) {
        SupervisorDetails s = cluster.getSupervisorById(slot.getNodeId());
        if (s != null && meta(s, META_TASK) != null && taskGone.test(meta(s, META_TASK))) {
          lost.add(slot);
        }
      }
      if (!lost.isEmpty()) {
        log.info("topology {}: workers {} were on supervisors whose tasks ended; reassigning", td.getId(), lost);
        cluster.freeSlots(lost);
      }
    }
  }

  private void scheduleOne(TopologyDetails td, Cluster cluster) {
    String id = td.getId();
    List<WorkerSlot> free = new ArrayList<>();
    for (SupervisorDetails s : cluster.getSupervisors().values()) {
      String task = meta(s, META_TASK);
      if (id.equals(topologyOf(s)) && (task == null || !taskGone.test(task))) {
        free.addAll(cluster.getAvailableSlots(s));
      }
    }
    free = free.isEmpty() ? free : EvenScheduler.sortSlots(free);
    Map<WorkerSlot, List<ExecutorDetails>> alive = EvenScheduler.getAliveAssignedWorkerSlotExecutors(cluster, id);
    int total = Math.min(td.getNumWorkers(), alive.size() + free.size());
    if (total == 0) {
      log.debug("topology {}: no free slot of its own supervisors yet", id);
      return;
    }
    if (alive.size() + free.size() < td.getNumWorkers() && supervisorsComing.test(id)) {
      // More supervisors are starting for it: place once they are up, not twice.
      log.debug("topology {}: {} of {} slots up, waiting for the rest", id, alive.size() + free.size(),
          td.getNumWorkers());
      return;
    }
    Map<WorkerSlot, List<ExecutorDetails>> plan = new LinkedHashMap<>();
    Collection<ExecutorDetails> toPlace;
    if (total > alive.size()) {
      // More slots than in use: spread every executor again, keeping the live slots first.
      cluster.freeSlots(alive.keySet());
      alive.keySet().forEach(s -> plan.put(s, new ArrayList<>()));
      free.stream().limit(total - alive.size()).forEach(s -> plan.put(s, new ArrayList<>()));
      toPlace = td.getExecutors();
    } else {
      alive.forEach((s, e) -> plan.put(s, new ArrayList<>(e)));
      toPlace = cluster.getUnassignedExecutors(td);
    }
    List<ExecutorDetails> ordered = new ArrayList<>(toPlace);
    ordered.sort(Comparator.comparingInt(ExecutorDetails::getStartTask));
    List<WorkerSlot> slots = new ArrayList<>(plan.keySet());
    for (int i = 0; i < ordered.size(); i++) {
      plan.get(slots.get(i % slots.size())).add(ordered.get(i));
    }
    for (Map.Entry<WorkerSlot, List<ExecutorDetails>> e : plan.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      if (cluster.isSlotOccupied(e.getKey())) {
        cluster.freeSlot(e.getKey());
      }
      cluster.assign(e.getKey(), id, e.getValue());
    }
    log.debug("topology {}: {} executors on {} slots", id, ordered.size(), slots.size());
  }

  private StormView view(Topologies topologies, Cluster cluster) {
    List<StormView.Topology> tops = new ArrayList<>();
    for (TopologyDetails td : topologies.getTopologies()) {
      WorkerSize size = null;
      String problem = null;
      boolean gang = false;
      try {
        size = WorkerSize.of(td.getConf(), defaults);
        gang = flag(td.getConf().get(StormView.GANG));
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
      tops.add(new StormView.Topology(td.getId(), td.getName(), td.getNumWorkers(),
          cluster.getAssignedNumWorkers(td), size, problem, gang));
    }
    Map<String, Set<String>> onSupervisor = new HashMap<>();
    for (SchedulerAssignment a : cluster.getAssignments().values()) {
      for (WorkerSlot slot : a.getSlots()) {
        onSupervisor.computeIfAbsent(slot.getNodeId(), k -> new HashSet<>()).add(a.getTopologyId());
      }
    }
    List<StormView.Supervisor> sups = new ArrayList<>();
    for (SupervisorDetails s : cluster.getSupervisors().values()) {
      sups.add(new StormView.Supervisor(s.getId(), s.getHost(), meta(s, META_TASK), s.getAllPorts().size(),
          onSupervisor.getOrDefault(s.getId(), Set.of())));
    }
    return new StormView(tops, sups);
  }

  private static boolean flag(Object value) {
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    String text = value.toString().trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(StormView.GANG + " must be true or false, not '" + value + "'");
  }

  static String topologyOf(SupervisorDetails s) {
    return meta(s, META_TOPOLOGY);
  }

  private static String meta(SupervisorDetails s, String key) {
    return s.getSchedulerMeta() instanceof Map<?, ?> m && m.get(key) != null ? m.get(key).toString() : null;
  }
}
