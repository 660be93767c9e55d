package io.trellis.services.placement;

import io.trellis.core.resource.Resources;
import java.util.List;

/** The resources an instance takes from an offer and its host ports, in the app's port order. */
public record Fit(Resources taken, List<Integer> hostPorts) {
  public Fit {
    hostPorts = List.copyOf(hostPorts);
  }
}
