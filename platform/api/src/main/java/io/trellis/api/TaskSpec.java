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
 * @param priority the task's priority for preemption (lowest are taken first); {@code null} for
 *     its framework's priority. Between {@link FrameworkInfo#MIN_PRIORITY} and
 *     {@link FrameworkInfo#MAX_PRIORITY}
 * @param preemptible {@code false}: the task is never preempted; {@code null} means true
 */
public record TaskSpec(String taskId, String name, String agentId, String resources,
    CommandSpec command, Map<String, String> labels, Double killGracePeriodSeconds,
    ContainerSpec container, List<HealthCheckSpec> healthChecks, Integer priority, Boolean preemptible) {
  public TaskSpec {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
  }

  /** A task with its framework's priority, preemptible. */
  public TaskSpec(String taskId, String name, String agentId, String resources, CommandSpec command,
      Map<String, String> labels, Double killGracePeriodSeconds, ContainerSpec container,
      List<HealthCheckSpec> healthChecks) {
    this(taskId, name, agentId, resources, command, labels, killGracePeriodSeconds, container, healthChecks,
        null, null);
  }

  /** A task without health checks. */
  public TaskSpec(String taskId, String name, String agentId, String resources, CommandSpec command,
      Map<String, String> labels, Double killGracePeriodSeconds, ContainerSpec container) {
    this(taskId, name, agentId, resources, command, labels, killGracePeriodSeconds, container, List.of());
  }

  /** This task with a priority and preemptibility ({@code null}: the defaults). */
  public TaskSpec withPreemption(Integer newPriority, Boolean newPreemptible) {
    return new TaskSpec(taskId, name, agentId, resources, command, labels, killGracePeriodSeconds, container,
        healthChecks, newPriority, newPreemptible);
  }
}
