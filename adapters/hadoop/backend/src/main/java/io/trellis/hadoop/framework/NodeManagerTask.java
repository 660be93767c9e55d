package io.trellis.hadoop.framework;

import io.trellis.api.CommandSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.InvalidResourceException;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import io.trellis.hadoop.profile.Profile;
import io.trellis.hadoop.yarn.RmAddresses;
import io.trellis.hadoop.yarn.YarnConf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Trellis task of one NodeManager: a JVM on the adapter's class path running
 * {@code NodeManagerMain} with its ports from the offer, sized by its profile, labelled with its
 * YARN node id so that it is recognisable in Trellis' state and adopted after a restart.
 */
public final class NodeManagerTask {
  static final String LABEL_NODE_ID = "hadoop-yarn-node-id";
  static final String LABEL_PROFILE = "hadoop-profile";
  static final String LABEL_PORTS = "hadoop-ports";
  static final String LABEL_CLUSTER = "hadoop-cluster";
  static final String MAIN = "io.trellis.hadoop.node.NodeManagerMain";

  /** The NM's own heap; the rest of its profile's overhead covers metaspace and threads. */
  static final int HEAP_MB = 256;

  private final String cluster;
  private final RmAddresses rm;
  private final String defaultFs;
  private final Path lib;
  private final String java;
  private final List<String> jvmFlags;
  private final String extraJavaOptions;

  public NodeManagerTask(String cluster, RmAddresses rm, String defaultFs, Path lib, String java, List<String> jvmFlags,
      String extraJavaOptions) {
    this.cluster = cluster;
    this.rm = rm;
    this.defaultFs = defaultFs;
    this.lib = lib;
    this.java = java;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.extraJavaOptions = extraJavaOptions == null ? "" : extraJavaOptions.trim();
  }

  /** The offer's first {@link Profile#PORTS} ports when it holds the profile's cpus and mem; else why not. */
  static Fit fit(String offerResources, Profile p) {
    Resources offered;
    try {
      offered = Resources.parse(offerResources);
    } catch (InvalidResourceException e) {
      return Fit.no("its resources '" + offerResources + "' are unreadable");
    }
    if (!offered.contains(Resources.parse(p.scalars()))) {
      return Fit.no("the last offer (" + offered.scalars() + ") is smaller than profile " + p.describe());
    }
    Ranges ranges = offered.ranges(Resources.PORTS);
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < ranges.intervalCount() && ports.size() < Profile.PORTS; i++) {
      for (long port = ranges.begin(i); port <= ranges.end(i) && ports.size() < Profile.PORTS; port++) {
        ports.add((int) port);
      }
    }
    if (ports.size() < Profile.PORTS) {
      return Fit.no("the last offer has " + ports.size() + " ports; a NodeManager needs " + Profile.PORTS);
    }
    return new Fit(ports, null);
  }

  record Fit(List<Integer> ports, String refusal) {
    static Fit no(String why) {
      return new Fit(List.of(), why);
    }

    boolean fits() {
      return refusal == null;
    }
  }

  /** YARN's id of the NM at {@code host:port}: it names nodes by the canonical host name. */
  static String nodeId(String host, int port) {
    try {
      return InetAddress.getByName(host).getCanonicalHostName() + ":" + port;
    } catch (UnknownHostException e) {
      return host + ":" + port;
    }
  }

  TaskSpec task(String taskId, String agentId, String hostname, Profile p, List<Integer> ports) {
    return task(taskId, agentId, hostname, p, ports, null);
  }

  /**
   * The NodeManager task, run as {@code user} ({@code null}: the agent's task user). YARN on a
   * local file system shares the submitters' staging files with the NodeManagers, so these run as
   * the ResourceManager's user.
   */
  TaskSpec task(String taskId, String agentId, String hostname, Profile p, List<Integer> ports, String user) {
    StringBuilder res = new StringBuilder(p.scalars()).append(";ports:[");
    for (int i = 0; i < ports.size(); i++) {
      res.append(i == 0 ? "" : ",").append(ports.get(i)).append('-').append(ports.get(i));
    }
    res.append(']');
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_CLUSTER, cluster);
    labels.put(LABEL_NODE_ID, nodeId(hostname, ports.get(0)));
    labels.put(LABEL_PROFILE, p.name());
    labels.put(LABEL_PORTS, ports.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
    Map<String, String> env = Map.of("JAVA_HOME", Path.of(java).getParent().getParent().toString());
    return new TaskSpec(taskId, "hadoop nodemanager " + labels.get(LABEL_NODE_ID) + " (" + p.name() + ") of " + cluster,
        agentId, res.toString(), new CommandSpec(shell(hostname, p, ports), true, List.of(), env, user), labels,
        15.0, null);
  }

  String shell(String hostname, Profile p, List<Integer> ports) {
    StringBuilder sh = new StringBuilder("exec ").append(quote(java)).append(" -Xmx").append(HEAP_MB).append('m')
        .append(' ').append(YarnConf.LIGHT_JVM);
    for (String f : jvmFlags) {
      sh.append(' ').append(quote(f));
    }
    if (!extraJavaOptions.isEmpty()) {
      sh.append(' ').append(extraJavaOptions);
    }
    sh.append(" -cp ").append(quote(lib.toAbsolutePath() + "/*")).append(' ').append(MAIN);
    YarnConf.nodeManager(rm, defaultFs, lib, hostname, ports, p.yarnMemMb(), p.yarnVcores())
        .forEach((k, v) -> sh.append(' ').append(quote(k + "=" + v)));
    return sh.toString();
  }

  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
