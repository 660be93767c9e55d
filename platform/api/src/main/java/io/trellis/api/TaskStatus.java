package io.trellis.api;

/**
 * A state change of a task, sent by the agent (or the master) to the framework.
 *
 * @param uuid identifies this update for acknowledgement; {@code null} for updates the master
 *     makes itself (reconciliation, errors), which need no acknowledgement
 * @param exitCode the process exit status for terminal updates from the agent, else {@code null}
 * @param timestamp seconds since the epoch
 */
public record TaskStatus(String taskId, String frameworkId, String agentId, TaskState state,
    String reason, String message, Integer exitCode, String uuid, double timestamp) {}
