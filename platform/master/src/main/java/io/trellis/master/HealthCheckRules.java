package io.trellis.master;

import io.trellis.api.HealthCheckSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What makes a task's health checks runnable; each problem names the field by its path. */
final class HealthCheckRules {
  private static final Set<String> PORTED = Set.of("HTTP", "HTTPS", "TCP");

  private HealthCheckRules() {}

  static List<String> problems(List<HealthCheckSpec> checks) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      HealthCheckSpec c = checks.get(i);
      String at = "healthChecks[" + i + "].";
      if (c == null) {
        out.add("healthChecks[" + i + "] is empty");
        continue;
      }
      String protocol = c.protocol().toUpperCase(Locale.ROOT);
      if (PORTED.contains(protocol)) {
        if (c.port() == null || c.port() < 1 || c.port() > 65535) {
          out.add(at + "port must be a port number from 1 to 65535 for " + c.protocol() + " checks, got " + c.port());
        }
      } else if (protocol.equals("COMMAND")) {
        if (c.command() == null || c.command().isBlank()) {
          out.add(at + "command is required for COMMAND checks");
        }
      } else {
        out.add(at + "protocol must be HTTP, HTTPS, TCP or COMMAND, got '" + c.protocol() + "'");
      }
      positive(out, at + "intervalSeconds", c.intervalSeconds());
      positive(out, at + "timeoutSeconds", c.timeoutSeconds());
      notNegative(out, at + "gracePeriodSeconds", c.gracePeriodSeconds());
      notNegative(out, at + "delaySeconds", c.delaySeconds());
      if (c.maxConsecutiveFailures() < 0) {
        out.add(at + "maxConsecutiveFailures must be >= 0, got " + c.maxConsecutiveFailures());
      }
    }
    return out;
  }

  private static void positive(List<String> out, String path, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      out.add(path + " must be a number of seconds > 0, got " + v);
    }
  }

  private static void notNegative(List<String> out, String path, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      out.add(path + " must be a number of seconds >= 0, got " + v);
    }
  }
}
