package io.trellis.services.instance;

import io.trellis.api.TaskState;
import java.util.List;
import java.util.Map;

/**
 * One launched instance of an app: a task on an agent. Stored when launched, before the master
 * hears of it, so a restarted framework knows every task it may have started.
 *
 * @param version the app's {@code versionInfo.lastConfigChangeAt} it was started from
 * @param hostPorts host ports in the app's port order
 * @param killRequested the framework asked to kill it (a scale down or a replacement)
 */
public record Instance(String taskId, String appId, String version, String agentId, String hostname,
    Map<String, String> attributes, List<Integer> hostPorts, TaskState state, Boolean healthy,
    String stagedAt, String startedAt, boolean killRequested) {
  public Instance {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    hostPorts = hostPorts == null ? List.of() : List.copyOf(hostPorts);
  }

  public Instance withState(TaskState s, Boolean h, String started) {
    return new Instance(taskId, appId, version, agentId, hostname, attributes, hostPorts, s, h, stagedAt,
        started, killRequested);
  }

  public Instance killing() {
    return new Instance(taskId, appId, version, agentId, hostname, attributes, hostPorts, state, healthy,
        stagedAt, startedAt, true);
  }

  public boolean isRunning() {
    return state == TaskState.RUNNING;
  }

  /** Running and, for an app with health checks, reported healthy. */
  public boolean isHealthy(boolean appHasChecks) {
    return isRunning() && (!appHasChecks || Boolean.TRUE.equals(healthy));
  }

  /**
   * Counts toward the app's instances: not ended and not being killed. An instance on an
   * unreachable agent counts until its app's unreachable strategy makes it inactive.
   */
  public boolean isActive() {
    return !state.isTerminal() && !killRequested;
  }
}
