package io.trellis.hadoop.flex;

/** What the framework's loop must do after a decision of {@link NodeManagers}. */
public sealed interface Action {
  /** Decommission the node gracefully in YARN. */
  record Decommission(String nodeId, int timeoutSeconds, String reason) implements Action {}

  /** Kill the NM's Trellis task. */
  record Kill(String taskId, String agentId, String reason) implements Action {}

  /** Tell YARN the node is gone (its task ended). */
  record Forget(String nodeId, String reason) implements Action {}
}
