package io.trellis.faults.rig;

import java.nio.file.Path;
import java.util.List;

/**
 * The shape of a rig: where its processes come from, how many of each, and the names and addresses
 * it may take on this machine.
 *
 * @param install the release (or class path) the processes run from
 * @param prefix the prefix of its namespaces, links and data directory ({@code tf-}); two rigs on
 *     one machine need two prefixes and two subnets
 * @param subnet the first three octets of its /24
 * @param masters 1 to 3
 * @param agents 1 to 9
 * @param services 0 to 2 instances of the services framework
 * @param jobs 0 to 2 instances of the jobs framework
 * @param agentResources what each agent offers ({@code --resources})
 * @param masterOptions extra options of every {@code trellis master} (none: the defaults are what is tested)
 */
public record RigConfig(Install install, String prefix, String subnet, int masters, int agents, int services,
    int jobs, String agentResources, List<String> masterOptions) {
  public RigConfig {
    check("masters", masters, 1, 3);
    check("agents", agents, 1, 9);
    check("services", services, 0, 2);
    check("jobs", jobs, 0, 2);
    masterOptions = List.copyOf(masterOptions);
  }

  private static void check(String what, int n, int min, int max) {
    if (n < min || n > max) {
      throw new IllegalArgumentException(what + " = " + n + ": must be " + min + " to " + max);
    }
  }

  /** The full rig: 3 ZooKeeper members, 3 masters, 3 agents, services ×2, jobs ×2. */
  public static RigConfig full(Install install) {
    return new RigConfig(install, "tf-", "10.77.0", 3, 3, 2, 2,
        "cpus:64;mem:65536;disk:100000;ports:[31000-32000]", List.of());
  }

  public RigConfig withPrefix(String p, String s) {
    return new RigConfig(install, p, s, masters, agents, services, jobs, agentResources, masterOptions);
  }

  public RigConfig withCounts(int m, int a, int s, int j) {
    return new RigConfig(install, prefix, subnet, m, a, s, j, agentResources, masterOptions);
  }

  public RigConfig withMasterOptions(List<String> options) {
    return new RigConfig(install, prefix, subnet, masters, agents, services, jobs, agentResources, options);
  }

  /** The rig's own directory: data, logs, the ledger and the security folder. */
  public Path root() {
    return Path.of("/tmp", prefix + "rig");
  }
}
