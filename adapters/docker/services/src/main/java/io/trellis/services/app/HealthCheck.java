package io.trellis.services.app;

import java.util.Map;

/**
 * A health check of an app's instances, run by the agent. The port is the instance's host port
 * at {@code portIndex}, or the one named {@code portName}, or the fixed {@code port}.
 */
public record HealthCheck(String protocol, String path, Integer portIndex, Integer port,
    String portName, Map<String, String> command, Double gracePeriodSeconds, Double intervalSeconds,
    Double timeoutSeconds, Integer maxConsecutiveFailures, Double delaySeconds, Boolean ignoreHttp1xx) {
  public HealthCheck {
    command = command == null ? null : Map.copyOf(command);
  }

  /** The protocol the agent runs: {@code MESOS_HTTP} is HTTP, {@code MESOS_TCP} is TCP. */
  public String agentProtocol() {
    String p = protocol == null ? "HTTP" : protocol.toUpperCase();
    return p.startsWith("MESOS_") ? p.substring("MESOS_".length()) : p;
  }

  HealthCheck withDefaults() {
    String p = protocol == null ? "HTTP" : protocol.toUpperCase();
    boolean needsPort = !p.equals("COMMAND");
    return new HealthCheck(p, p.endsWith("HTTP") || p.endsWith("HTTPS") ? (path == null ? "/" : path) : path,
        needsPort && port == null && portName == null && portIndex == null ? Integer.valueOf(0) : portIndex,
        port, portName, command, gracePeriodSeconds == null ? 300.0 : gracePeriodSeconds,
        intervalSeconds == null ? 60.0 : intervalSeconds, timeoutSeconds == null ? 20.0 : timeoutSeconds,
        maxConsecutiveFailures == null ? 3 : maxConsecutiveFailures,
        delaySeconds == null ? 15.0 : delaySeconds, ignoreHttp1xx);
  }
}
