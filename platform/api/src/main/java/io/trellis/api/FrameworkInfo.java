package io.trellis.api;

import java.util.List;

/**
 * A framework's description, sent when it subscribes.
 *
 * @param id {@code null} on first subscription; the id the master gave, to resubscribe
 * @param failoverTimeoutSeconds how long the master keeps the framework's tasks after it
 *     disconnects; 0 tears it down at once
 * @param priority orders the framework's tasks for preemption (lowest are taken first) and the
 *     frameworks of one role for offers (highest first); {@code null} means 0. Between
 *     {@link #MIN_PRIORITY} and {@link #MAX_PRIORITY}; a task's own priority overrides it
 * @param webuiUrl where the framework serves its own API or UI ({@code http(s)://host:port}), or
 *     {@code null}; the master's web UI links to it, and reaches the services and jobs APIs there
 */
public record FrameworkInfo(String id, String name, String user, List<String> roles,
    Double failoverTimeoutSeconds, String hostname, Integer priority, String webuiUrl) {
  public static final int MIN_PRIORITY = -1_000_000_000;
  public static final int MAX_PRIORITY = 1_000_000_000;

  public FrameworkInfo {
    roles = roles == null || roles.isEmpty() ? List.of("*") : List.copyOf(roles);
  }

  /** A framework of priority 0. */
  public FrameworkInfo(String id, String name, String user, List<String> roles,
      Double failoverTimeoutSeconds, String hostname) {
    this(id, name, user, roles, failoverTimeoutSeconds, hostname, null, null);
  }

  /** A framework without a web address of its own. */
  public FrameworkInfo(String id, String name, String user, List<String> roles,
      Double failoverTimeoutSeconds, String hostname, Integer priority) {
    this(id, name, user, roles, failoverTimeoutSeconds, hostname, priority, null);
  }

  /** The same framework under the id the master gave it. */
  public FrameworkInfo withId(String given) {
    return new FrameworkInfo(given, name, user, roles, failoverTimeoutSeconds, hostname, priority, webuiUrl);
  }

  /** The same framework, serving its API or UI at {@code url}. */
  public FrameworkInfo withWebuiUrl(String url) {
    return new FrameworkInfo(id, name, user, roles, failoverTimeoutSeconds, hostname, priority, url);
  }

  /** The priority, 0 when none was given. */
  public int priorityOrDefault() {
    return priority == null ? 0 : priority;
  }
}
