package io.trellis.faults.rig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of each kind of server on a host of the rig, from the install: what an
 * operator would type on that machine, closed with the cluster key and the shared security folder.
 */
final class CommandLines {
  private final RigConfig config;
  private final Path securityDir;
  private final Path clusterKey;
  private final String zk;

  CommandLines(RigConfig config, Path securityDir, Path clusterKey, String zk) {
    this.config = config;
    this.securityDir = securityDir;
    this.clusterKey = clusterKey;
    this.zk = zk;
  }

  /**
   * Member {@code id} of the ensemble: {@code trellis zookeeper} when the install has it, else the
   * rig's own {@link ZooKeeperMember} on the install's class path.
   */
  List<String> zooKeeper(boolean trellisZk, Path data, int id, String ensemble) {
    if (trellisZk) {
      return config.install().trellis(List.of("zookeeper", "--data-dir", data.toString(), "--id", Integer.toString(id),
          "--ensemble", ensemble));
    }
    String self = ZooKeeperMember.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    String cp = config.install().lib() + "/*" + java.io.File.pathSeparator + self;
    List<String> argv = new ArrayList<>(List.of(Install.java()));
    argv.addAll(List.of(Rig.JAVA_OPTS.split(" ")));
    argv.addAll(List.of("-cp", cp, ZooKeeperMember.class.getName(), data.toString(), Integer.toString(id), ensemble));
    return argv;
  }

  List<String> master(Host h) {
    List<String> args = new ArrayList<>(List.of("master", "--host", h.address(), "--zk", zk,
        "--cluster-key-file", clusterKey.toString(), "--security-dir", securityDir.toString()));
    args.addAll(config.masterOptions());
    return config.install().trellis(args);
  }

  List<String> agent(Host h, Path workDir) {
    return config.install().trellis(List.of("agent", "--master", zk, "--host", h.address(),
        "--work-dir", workDir.toString(), "--resources", config.agentResources(),
        "--cluster-key-file", clusterKey.toString(), "--security-dir", securityDir.toString()));
  }

  List<String> framework(String command, Host h) {
    return config.install().trellis(List.of(command, "--zk", zk, "--host", h.address(),
        "--security-dir", securityDir.toString()));
  }
}
