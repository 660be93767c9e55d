package io.trellis.master;

import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;

/** A task the master knows; owned by the event loop. */
final class TaskRecord {
  final FrameworkId frameworkId;
  final String role;
  final AgentId agentId;
  final TaskSpec spec;
  final Resources resources;
  TaskState state = TaskState.STAGING;
  TaskStatus latest;
  /** The task's health from its checks as last reported, or null. */
  Boolean healthy;
  /** Whether its resources are still counted by the allocator. */
  boolean holdsResources = true;
  /** When its launch was sent to the agent, or null before. */
  java.time.Instant launchSentAt;
  /** Whether the agent took the launch (answered 2xx): it has the task in its table since. */
  boolean launchDelivered;
  /** Why the task is being preempted (the message of its terminal update), or null. */
  String preemptedFor;
  /** The grace period of a preempting kill, overriding the task's own; null for the task's. */
  Double killGraceSeconds;

  TaskRecord(FrameworkId frameworkId, String role, AgentId agentId, TaskSpec spec, Resources resources) {
    this.frameworkId = frameworkId;
    this.role = role;
    this.agentId = agentId;
    this.spec = spec;
    this.resources = resources;
  }

  static String key(FrameworkId framework, String taskId) {
    return framework.value() + "/" + taskId;
  }
}
