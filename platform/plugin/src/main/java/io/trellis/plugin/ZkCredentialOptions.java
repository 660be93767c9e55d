package io.trellis.plugin;

import io.trellis.security.zk.ZkCredentials;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The ZooKeeper credential options of the commands that keep state in ZooKeeper: a picocli mixin. */
public final class ZkCredentialOptions {
  @Option(names = "--zk-credentials", description = "ZooKeeper digest credentials user:password: Trellis' znodes"
      + " become readable and writable with them only (default: $TRELLIS_ZK_CREDENTIALS)")
  String credentials;

  @Option(names = "--zk-credentials-file", description = "A file holding the ZooKeeper credentials user:password"
      + " (default: $TRELLIS_ZK_CREDENTIALS_FILE)")
  Path file;

  /** The credentials of the options or the environment, or null for open znodes. */
  public ZkCredentials credentials() {
    return ZkCredentials.of(credentials, file, System.getenv());
  }
}
