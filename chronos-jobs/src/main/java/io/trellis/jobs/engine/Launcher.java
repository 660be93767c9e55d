package io.trellis.jobs.engine;

import java.util.Collection;

/**
 * Where the engine's tasks go: in production, offers from the master through the client
 * library. Task status updates come back to {@link JobEngine#onUpdate}.
 */
public interface Launcher {
  /** Queues a task for the next offer that fits; a task id already queued is not queued twice. */
  void launch(Launch launch);

  /** Queues the tasks of one batch of runs together, so they can leave on one offer. */
  default void launchAll(java.util.List<Launch> launches) {
    launches.forEach(this::launch);
  }

  /**
   * Kills a task.
   *
   * @return true if it was still queued and is now dropped (no update will come), false if it
   *     was sent to the master, which will report its end
   */
  boolean kill(String taskId);

  /** Asks the master for the state of these tasks; answers arrive as updates. */
  void reconcile(Collection<String> taskIds);
}
