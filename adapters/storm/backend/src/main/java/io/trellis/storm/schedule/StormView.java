package io.trellis.storm.schedule;

import java.util.List;
import java.util.Set;

/**
 * What Nimbus knows after one scheduling round, without Storm types: every topology with the
 * workers it wants and has, and every registered supervisor with the Trellis task it runs in.
 */
public record StormView(List<Topology> topologies, List<Supervisor> supervisors) {
  public StormView {
    topologies = List.copyOf(topologies);
    supervisors = List.copyOf(supervisors);
  }

  /**
   * @param size the worker size, or {@code null} when the topology's settings are unreadable
   * @param problem why the size is unreadable, else {@code null}
   * @param gang whether the topology's supervisors are asked for all together ({@value #GANG})
   */
  public record Topology(String id, String name, int workers, int assignedWorkers, WorkerSize size,
      String problem, boolean gang) {
    public Topology(String id, String name, int workers, int assignedWorkers, WorkerSize size, String problem) {
      this(id, name, workers, assignedWorkers, size, problem, false);
    }
  }

  /** Topology setting: {@code true} to have Trellis start all of a topology's workers together or none. */
  public static final String GANG = "topology.trellis.gang";

  /**
   * @param taskId the Trellis task the supervisor runs in ({@code null} for one started by hand)
   * @param workerTopologies the topologies that have workers on it
   */
  public record Supervisor(String id, String host, String taskId, int slots, Set<String> workerTopologies) {
    public Supervisor {
      workerTopologies = Set.copyOf(workerTopologies);
    }
  }
}
