package io.trellis.hadoop.flex;

import io.trellis.api.TaskState;
import io.trellis.hadoop.profile.Profile;
import java.time.Instant;
import java.util.List;

/** One NodeManager task and what YARN says of it. Owned by the framework's event loop. */
final class NodeRecord {
  final String taskId;
  final String agentId;
  final Profile profile;
  final String nodeId;
  final List<Integer> ports;
  final Instant launchedAt;
  TaskState taskState = TaskState.STAGING;
  String yarnState;
  int containers;
  int apps;
  Instant registeredAt;
  Instant idleSince;
  Instant decommissionedAt;
  String killReason;

  NodeRecord(String taskId, String agentId, Profile profile, String nodeId, List<Integer> ports, Instant launchedAt) {
    this.taskId = taskId;
    this.agentId = agentId;
    this.profile = profile;
    this.nodeId = nodeId;
    this.ports = List.copyOf(ports);
    this.launchedAt = launchedAt;
  }

  boolean leaving() {
    return decommissionedAt != null || killReason != null;
  }
}
