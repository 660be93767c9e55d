package io.trellis.hadoop.yarn;

import java.util.Map;

/**
 * What the framework reads from and asks of the ResourceManager: its nodes and its unmet demand,
 * a graceful decommission of one node, and forgetting a node whose NodeManager is gone.
 */
public interface YarnView {
  /**
   * One NodeManager as YARN sees it; {@code nodeId} is YARN's {@code host:port}; {@code apps} counts
   * the unfinished applications that ran containers there (their map outputs may still be served).
   */
  record Node(String nodeId, String state, int containers, int apps) {
    public Node(String nodeId, String state, int containers) {
      this(nodeId, state, containers, 0);
    }

    /** Whether YARN still counts the node (it may get or hold containers). */
    public boolean counted() {
      return state.equals("NEW") || state.equals("RUNNING") || state.equals("UNHEALTHY")
          || state.equals("DECOMMISSIONING");
    }
  }

  /** The root queue's pending and available resources. */
  record Demand(int pendingContainers, long pendingMb, int pendingVcores, long availableMb, int availableVcores,
      int appsPending, int appsRunning) {
    public static final Demand NONE = new Demand(0, 0, 0, 0, 0, 0, 0);
  }

  record Snapshot(Map<String, Node> nodes, Demand demand) {
    public Snapshot {
      nodes = Map.copyOf(nodes);
    }
  }

  Snapshot snapshot();

  /** Starts a graceful decommission of one node: no new containers, running ones get {@code timeoutSeconds}. */
  void decommission(String nodeId, int timeoutSeconds);

  /** The node's NodeManager is gone: YARN stops counting it now and reruns what ran there. */
  void forget(String nodeId);
}
