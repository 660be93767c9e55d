package io.trellis.simulator;

import io.trellis.api.AgentProtocol;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;

/** A task on a simulated agent; owned by the simulator's thread. */
final class SimTask {
  final SimAgent agent;
  final AgentProtocol.Launch launch;
  TaskState state = TaskState.STARTING;
  /** Updates not yet acknowledged, oldest first; the first is in flight once sent. */
  final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
  /** When the first pending update was last sent (System.nanoTime), or 0 if not since queued. */
  long sentAt;
  /** How often the first pending update was sent again: each retry waits twice as long, as agents back off. */
  int retries;
  /** Whether it waits in the fleet's queue of updates to send. */
  boolean queued;
  /** The timer that ends the task by itself, if it does. */
  ScheduledFuture<?> end;

  SimTask(SimAgent agent, AgentProtocol.Launch launch) {
    this.agent = agent;
    this.launch = launch;
  }

  String key() {
    return key(launch.frameworkId(), launch.task().taskId());
  }

  static String key(String frameworkId, String taskId) {
    return frameworkId + "/" + taskId;
  }
}
