package io.trellis.agent.containerizer;

/**
 * How a task ended.
 *
 * @param exitCode the exit status, or {@code null} when unknown
 * @param killed whether it ended because the agent killed it
 * @param message a human-readable account, e.g. {@code "exited with status 3"}
 */
public record Termination(Integer exitCode, boolean killed, String message) {}
