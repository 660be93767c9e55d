package io.trellis.api;

import java.util.List;
import java.util.Map;

/**
 * A task to launch from an offer.
 *
 * @param resources the Mesos text form, e.g. {@code cpus:0.5;mem:64;ports:[31000-31001]}
 * @param killGracePeriodSeconds time between SIGTERM and SIGKILL; {@code null} for the default
 * @param container {@code null} for a plain process; {@code "DOCKER"} and others are handled by
 *     the agent's containerizers
 * @param healthChecks checks the agent runs once the task is RUNNING; empty for none
 */
public record TaskSpec(String taskId, String name, String agentId, String resources,
    CommandSpec command, Map<String, String> labels, Double killGracePeriodSeconds,
    ContainerSpec container, List<HealthCheckSpec> healthChecks) {
  public TaskSpec {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
  }

  /** A task without health checks. */
  public TaskSpec(String taskId, String name, String agentId, String resources, CommandSpec command,
      Map<String, String> labels, Double killGracePeriodSeconds, ContainerSpec container) {
    this(taskId, name, agentId, resources, command, labels, killGracePeriodSeconds, container, List.of());
  }
}
