package io.trellis.services.app;

import java.util.Map;

/**
 * A container port published on a host port. {@code hostPort} 0 takes any port of the offer;
 * {@code containerPort} 0 in BRIDGE networking uses the host port.
 */
public record PortMapping(Integer containerPort, Integer hostPort, Integer servicePort,
    String protocol, String name, Map<String, String> labels) {
  public PortMapping {
    labels = labels == null ? null : Map.copyOf(labels);
  }

  PortMapping withDefaults() {
    return new PortMapping(containerPort == null ? 0 : containerPort, hostPort == null ? 0 : hostPort,
        servicePort, protocol == null ? "tcp" : protocol, name, labels);
  }
}
