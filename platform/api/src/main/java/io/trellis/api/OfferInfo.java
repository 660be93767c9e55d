package io.trellis.api;

import java.util.Map;

/**
 * Resources of one agent offered to a framework. {@code resources} is the Mesos text form. An
 * offer made for a gang names the gang's demand id in {@code gang}; all of a gang's offers
 * arrive in one OFFERS event.
 */
public record OfferInfo(String id, String frameworkId, String agentId, String hostname,
    String role, String resources, Map<String, String> attributes, String gang) {

  /** An offer made for no gang. */
  public OfferInfo(String id, String frameworkId, String agentId, String hostname, String role,
      String resources, Map<String, String> attributes) {
    this(id, frameworkId, agentId, hostname, role, resources, attributes, null);
  }
}
