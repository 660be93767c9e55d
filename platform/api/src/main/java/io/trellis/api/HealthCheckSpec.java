package io.trellis.api;

/**
 * A health check the agent runs next to a task once it is RUNNING. The agent reports health
 * changes as RUNNING updates with {@link TaskStatus#healthy()} set; what to do about an unhealthy
 * task (kill and replace it) is the framework's decision.
 *
 * @param protocol {@code HTTP}, {@code HTTPS}, {@code TCP} or {@code COMMAND}
 * @param port the host port to probe for HTTP, HTTPS and TCP (the framework resolves port
 *     indexes and names to the task's host port)
 * @param path the HTTP path, {@code /} when absent
 * @param command the shell command for COMMAND checks; exit status 0 is healthy
 * @param gracePeriodSeconds failures in this time after the task started count only once the
 *     task has passed a check
 * @param intervalSeconds time between the starts of two checks
 * @param timeoutSeconds a check not answered in this time has failed
 * @param maxConsecutiveFailures this many failures in a row make the task unhealthy
 * @param delaySeconds time before the first check
 */
public record HealthCheckSpec(String protocol, Integer port, String path, String command,
    double gracePeriodSeconds, double intervalSeconds, double timeoutSeconds,
    int maxConsecutiveFailures, double delaySeconds) {
  public HealthCheckSpec {
    if (protocol == null) {
      throw new IllegalArgumentException("a health check needs a protocol (HTTP, HTTPS, TCP or COMMAND)");
    }
  }
}
