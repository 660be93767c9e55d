package io.trellis.services.app;

import java.util.Map;

/** A host port an app's instances take from their agent's offer; 0 asks for any free port. */
public record PortDefinition(Integer port, String protocol, String name, Map<String, String> labels) {
  public PortDefinition {
    labels = labels == null ? null : Map.copyOf(labels);
  }

  PortDefinition withDefaults() {
    return new PortDefinition(port == null ? 0 : port, protocol == null ? "tcp" : protocol, name, labels);
  }
}
