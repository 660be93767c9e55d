package io.trellis.cli;

import io.trellis.security.signing.ClusterKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The cluster key option of {@code trellis master} and {@code trellis agent}: masters sign their
 * calls to agents with it, agents take only calls signed with it. Without it a command refuses
 * to start unless {@code --insecure} (the commands' open mode) says to run open.
 */
final class ClusterKeyOption {
  @Option(names = "--cluster-key-file", paramLabel = "FILE",
      description = "The cluster key (hex, mode 0600) masters sign their calls to agents with; `trellis local`"
          + " writes one to <data dir>/security/" + ClusterKey.FILE)
  Path file;

  /**
   * The key, or {@code null} when {@code --insecure} runs without one.
   *
   * @throws IllegalArgumentException saying what to pass when there is neither, or what is wrong
   *     with the file
   */
  ClusterKey key(String command, boolean insecure) {
    if (file == null) {
      if (!insecure) {
        throw new IllegalArgumentException("no --cluster-key-file: " + command + " needs the cluster key that"
            + " masters and agents share (`trellis local` writes one to <data dir>/security/" + ClusterKey.FILE
            + "; any 32 random bytes in hex, mode 0600, do); pass --insecure to run without one");
      }
      org.slf4j.LoggerFactory.getLogger(ClusterKeyOption.class).warn("running with --insecure: calls between"
          + " masters and agents are not signed, so anyone who can reach an agent can run tasks on it");
      return null;
    }
    return ClusterKey.read(file);
  }
}
