package io.trellis.storm.framework;

import java.time.Instant;

/**
 * A supervisor the framework runs: its task, the topology it serves, its worker slots.
 *
 * @param registered whether its supervisor has been seen in Nimbus' view
 * @param idleSince when it was last seen without a worker while its topology had slots to spare
 */
record SupervisorTask(String taskId, String agentId, String topologyId, int slots, Instant launchedAt,
    boolean registered, Instant idleSince, boolean killing) {
  SupervisorTask withRegistered(boolean now) {
    return new SupervisorTask(taskId, agentId, topologyId, slots, launchedAt, now, idleSince, killing);
  }

  SupervisorTask withIdleSince(Instant at) {
    return new SupervisorTask(taskId, agentId, topologyId, slots, launchedAt, registered, at, killing);
  }

  SupervisorTask asKilling() {
    return new SupervisorTask(taskId, agentId, topologyId, slots, launchedAt, registered, idleSince, true);
  }
}
