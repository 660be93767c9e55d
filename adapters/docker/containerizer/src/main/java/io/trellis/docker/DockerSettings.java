package io.trellis.docker;

import java.util.Locale;
import java.util.Map;

/**
 * The agent settings the Docker containerizer reads.
 *
 * @param host the daemon's address ({@code docker.host}, default {@code unix:///var/run/docker.sock})
 * @param allowPrivileged whether tasks may ask for privileged containers ({@code
 *     docker.allow-privileged}, default false)
 * @param allowHostVolumes whether tasks may mount host paths, the Docker socket included ({@code
 *     docker.allow-host-volumes}, default false)
 * @param init whether containers run under the daemon's init process, which forwards signals to
 *     the task and reaps zombies ({@code docker.init}, default true)
 */
record DockerSettings(String host, boolean allowPrivileged, boolean allowHostVolumes,
    boolean init) {
  static final String HOST = "docker.host";
  static final String ALLOW_PRIVILEGED = "docker.allow-privileged";
  static final String ALLOW_HOST_VOLUMES = "docker.allow-host-volumes";
  static final String INIT = "docker.init";
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  DockerSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("the setting " + HOST + " is empty; give the Docker"
          + " daemon's address, e.g. " + DEFAULT_HOST + " or tcp://127.0.0.1:2375");
    }
    if (!host.startsWith("unix://") && !host.startsWith("tcp://")) {
      throw new IllegalArgumentException("unsupported " + HOST + " '" + host
          + "': use unix:///path/to/docker.sock or tcp://host:port");
    }
  }

  /** Reads the settings; a value that is not a boolean is an error naming the key. */
  static DockerSettings from(Map<String, String> settings) {
    return new DockerSettings(settings.getOrDefault(HOST, DEFAULT_HOST).trim(),
        flag(settings, ALLOW_PRIVILEGED, false), flag(settings, ALLOW_HOST_VOLUMES, false),
        flag(settings, INIT, true));
  }

  private static boolean flag(Map<String, String> settings, String key, boolean fallback) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("the setting " + key + " must be true or"
          + " false, not '" + value + "'");
    };
  }
}
