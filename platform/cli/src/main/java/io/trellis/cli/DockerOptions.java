package io.trellis.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The agent's Docker settings as command-line options (or {@code --config} keys without the
 * dashes), handed to the containerizers as {@code docker.*} settings. Unset options are left out,
 * so the containerizer's own defaults apply.
 */
final class DockerOptions {
  @Option(names = "--docker-host", paramLabel = "URI",
      description = "The Docker daemon for DOCKER tasks (default: unix:///var/run/docker.sock)")
  String host;

  @Option(names = "--docker-allow-privileged", arity = "0..1", paramLabel = "true|false",
      description = "Let DOCKER tasks run privileged containers (default: false)")
  Boolean allowPrivileged;

  @Option(names = "--docker-allow-host-volumes", arity = "0..1", paramLabel = "true|false",
      description = "Let DOCKER tasks mount host paths, the Docker socket included (default: false)")
  Boolean allowHostVolumes;

  /** The settings given, keyed as the containerizers read them. */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    if (host != null && !host.isBlank()) {
      settings.put("docker.host", host.trim());
    }
    if (allowPrivileged != null) {
      settings.put("docker.allow-privileged", allowPrivileged.toString());
    }
    if (allowHostVolumes != null) {
      settings.put("docker.allow-host-volumes", allowHostVolumes.toString());
    }
    return settings;
  }
}
