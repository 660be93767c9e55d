package io.trellis.agent.containerizer;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A running task: how to wait for it and how to stop it. */
public interface Container {
  String taskId();

  /** Completes once the task has ended, whatever ended it. */
  CompletableFuture<Termination> termination();

  /**
   * Stops the task and everything it started: a polite signal first (SIGTERM to the whole
   * process group), then, after {@code gracePeriod}, a forced one (SIGKILL). Returns at once.
   */
  void kill(Duration gracePeriod);

  /**
   * How commands reach the task's environment (its COMMAND health checks): empty when the task
   * sees the agent's own filesystem, and commands run on the host in the task's sandbox.
   */
  default Optional<CommandRunner> commandRunner() {
    return Optional.empty();
  }
}
