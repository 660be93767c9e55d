package io.trellis.hadoop.flex;

import java.util.List;

/** The NodeManagers and the waiting flexups, as {@code trellis hadoop status} shows them. */
public record FlexStatus(int min, int max, boolean automatic, List<Node> nodes, List<Waiting> waiting,
    Demand demand) {
  /** An NM task: its Trellis task and state, YARN's node id and state. */
  public record Node(String taskId, String agentId, String profile, String nodeId, String taskState,
      String yarnState, int containers, boolean leaving) {}

  /** A flexup waiting for an offer, and why. */
  public record Waiting(String profile, String requestedAt, boolean automatic, String reason) {}

  public record Demand(int pendingContainers, long pendingMb, int appsPending, int appsRunning) {}
}
