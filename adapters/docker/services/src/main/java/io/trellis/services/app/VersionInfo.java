package io.trellis.services.app;

/** When the app last changed: its configuration (which restarts instances) and its scale. */
public record VersionInfo(String lastScalingAt, String lastConfigChangeAt) {}
