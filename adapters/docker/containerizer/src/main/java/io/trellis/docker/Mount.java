package io.trellis.docker;

/**
 * A volume in a container.
 *
 * @param hostPath the host directory or file to bind, or {@code null} for a volume the daemon
 *     creates and removes with the container
 */
record Mount(String hostPath, String containerPath, boolean readOnly) {
  /** The Docker socket: mounting it hands the task the whole daemon. */
  static boolean isDockerSocket(String hostPath) {
    return hostPath != null && (hostPath.endsWith("/docker.sock") || hostPath.equals("/var/run")
        || hostPath.equals("/run") || hostPath.equals("/var/run/docker")
        || hostPath.equals("/run/docker"));
  }
}
