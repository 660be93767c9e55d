package io.trellis.agent.containerizer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a shell command where a task runs, as its COMMAND health checks need: inside its
 * container when the task has a filesystem of its own.
 */
public interface CommandRunner {
  /**
   * Starts {@code /bin/sh -c command} with the given environment added to the task's own.
   *
   * @throws ContainerException when the command cannot be started at all
   */
  Execution start(String command, Map<String, String> environment) throws ContainerException;

  /** A command started by a {@link CommandRunner}. */
  interface Execution {
    /** Completes with the command's exit status, or exceptionally if it could not be waited for. */
    CompletableFuture<Integer> exitStatus();

    /** Kills the command and everything it started; nothing once it has ended. */
    void cancel();
  }
}
