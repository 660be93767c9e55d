package io.trellis.services.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** How instances are contained: {@code DOCKER} with an image, or {@code MESOS} (a plain process). */
public record Container(String type, Docker docker, List<PortMapping> portMappings,
    List<Map<String, Object>> volumes) {
  public Container {
    portMappings = portMappings == null ? null : List.copyOf(portMappings);
    volumes = volumes == null ? null : List.copyOf(volumes);
  }

  public boolean usesDocker() {
    return "DOCKER".equals(type);
  }

  /**
   * The network mode, upper case: {@code BRIDGE} for a Docker container that names none (the
   * host's network is a grant), {@code HOST} for a plain process, which always shares it.
   */
  public String network() {
    if (docker == null || docker.network() == null) {
      return usesDocker() ? "BRIDGE" : "HOST";
    }
    return docker.network().toUpperCase();
  }

  /** Port mappings from either place they may be written, with defaults. */
  public List<PortMapping> mappings() {
    List<PortMapping> source = portMappings != null ? portMappings
        : docker != null && docker.portMappings() != null ? docker.portMappings() : List.of();
    List<PortMapping> out = new ArrayList<>(source.size());
    for (PortMapping m : source) {
      out.add(m.withDefaults());
    }
    return out;
  }
}
