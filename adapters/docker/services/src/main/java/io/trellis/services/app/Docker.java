package io.trellis.services.app;

import java.util.List;
import java.util.Map;

/** The Docker part of a container: image, network mode and (older form) port mappings. */
public record Docker(String image, String network, List<PortMapping> portMappings, Boolean privileged,
    List<Map<String, String>> parameters, Boolean forcePullImage) {
  public Docker {
    portMappings = portMappings == null ? null : List.copyOf(portMappings);
    parameters = parameters == null ? null : List.copyOf(parameters);
  }
}
