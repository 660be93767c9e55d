package io.trellis.api;

import java.util.List;
import java.util.Map;

/**
 * How a task is contained; {@code type} selects the agent's containerizer ({@code MESOS} or
 * absent for a plain process, {@code DOCKER} for a Docker container). The other fields are read
 * by the containerizer that handles the type.
 */
public record ContainerSpec(String type, String image, String network, Boolean forcePullImage,
    Boolean privileged, List<Map<String, Object>> portMappings, List<Map<String, Object>> volumes,
    Map<String, Object> parameters) {}
