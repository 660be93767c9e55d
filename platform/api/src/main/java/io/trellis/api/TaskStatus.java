package io.trellis.api;

/**
 * A state change of a task, sent by the agent (or the master) to the framework.
 *
 * @param uuid identifies this update for acknowledgement; {@code null} for updates the master
 *     makes itself (reconciliation, errors), which need no acknowledgement
 * @param exitCode the process exit status for terminal updates from the agent, else {@code null}
 * @param timestamp seconds since the epoch
 * @param healthy the result of the task's health checks; {@code null} for a task without
 *     checks or not yet checked
 */
public record TaskStatus(String taskId, String frameworkId, String agentId, TaskState state,
    String reason, String message, Integer exitCode, String uuid, double timestamp, Boolean healthy) {
  /** An update that says nothing of health. */
  public TaskStatus(String taskId, String frameworkId, String agentId, TaskState state, String reason,
      String message, Integer exitCode, String uuid, double timestamp) {
    this(taskId, frameworkId, agentId, state, reason, message, exitCode, uuid, timestamp, null);
  }
}
