package io.trellis.services.app;

import java.util.List;

/**
 * A check that a new instance is ready for traffic during a deployment. Accepted and stored;
 * deployments count an instance once it is healthy (see the docs).
 */
public record ReadinessCheck(String name, String protocol, String path, String portName,
    Double intervalSeconds, Double timeoutSeconds, List<Integer> httpStatusCodesForReady,
    Boolean preserveLastResponse) {
  public ReadinessCheck {
    httpStatusCodesForReady = httpStatusCodesForReady == null ? null : List.copyOf(httpStatusCodesForReady);
  }
}
