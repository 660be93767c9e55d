package io.trellis.api;

import java.util.Map;

/** Resources of one agent offered to a framework. {@code resources} is the Mesos text form. */
public record OfferInfo(String id, String frameworkId, String agentId, String hostname,
    String role, String resources, Map<String, String> attributes) {}
