package io.trellis.hadoop.framework;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The framework's place in Trellis.
 *
 * @param master {@code host:port} or {@code zk://host:port/path} of the Trellis master
 * @param cluster this YARN cluster's name: the framework's name and a label on its NM tasks
 * @param failoverTimeoutSeconds how long Trellis keeps the NMs while the ResourceManager is away
 * @param workDir where the framework id is kept across restarts (and the MapReduce staging area)
 * @param webuiUrl the ResourceManager's web UI, which the framework announces to Trellis (or null)
 */
public record FrameworkSettings(String master, String role, String cluster, String user, double failoverTimeoutSeconds,
    Duration tick, Path workDir, String webuiUrl) {
  public FrameworkSettings {
    if (role == null || !role.matches("[a-zA-Z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("--role '" + role + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    if (cluster == null || !cluster.matches("[a-zA-Z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("--name '" + cluster + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    if (!(failoverTimeoutSeconds >= 0 && failoverTimeoutSeconds <= 365 * 86400.0)) {
      throw new IllegalArgumentException("--failover-timeout " + failoverTimeoutSeconds + " must be 0 to a year in seconds");
    }
  }
}
