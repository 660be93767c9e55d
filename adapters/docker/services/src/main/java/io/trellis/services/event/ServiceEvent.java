package io.trellis.services.event;

import java.util.Map;

/**
 * An event of the {@code /v2/events} stream: {@code status_update_event},
 * {@code health_status_changed_event}, {@code deployment_info}, {@code deployment_step_success},
 * {@code deployment_success}, {@code deployment_failed}, {@code api_post_event}...
 */
public record ServiceEvent(String eventType, Map<String, Object> data) {
  public ServiceEvent {
    data = Map.copyOf(data);
  }
}
