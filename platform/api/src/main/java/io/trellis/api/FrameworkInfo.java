package io.trellis.api;

import java.util.List;

/**
 * A framework's description, sent when it subscribes.
 *
 * @param id {@code null} on first subscription; the id the master gave, to resubscribe
 * @param failoverTimeoutSeconds how long the master keeps the framework's tasks after it
 *     disconnects; 0 tears it down at once
 */
public record FrameworkInfo(String id, String name, String user, List<String> roles,
    Double failoverTimeoutSeconds, String hostname) {
  public FrameworkInfo {
    roles = roles == null || roles.isEmpty() ? List.of("*") : List.copyOf(roles);
  }
}
