package io.trellis.services.placement;

import java.util.Map;

/** Where an instance runs or could run: an agent, its hostname and attributes. */
public record Spot(String agentId, String hostname, Map<String, String> attributes) {
  public Spot {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** The value of a constraint field: {@code hostname} or an attribute; null when absent. */
  String field(String name) {
    return name.equals("hostname") || name.equals("@hostname") ? hostname : attributes.get(name);
  }
}
