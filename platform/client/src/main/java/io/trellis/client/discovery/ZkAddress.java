package io.trellis.client.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * A ZooKeeper ensemble and the root under which Trellis keeps its znodes, written
 * {@code zk://host[:port][,host[:port]...][/path]}. A host without a port uses 2181 and a spec
 * without a path uses {@value ZkLayout#DEFAULT_ROOT}.
 *
 * @param connectString Curator/ZooKeeper connect string, {@code host:port[,host:port...]}
 * @param root absolute znode path
 */
public record ZkAddress(String connectString, String root) {
  public static final int DEFAULT_PORT = 2181;
  static final String FORM = "zk://host:port[,host:port...]/path";

  public ZkAddress {
    if (connectString == null || connectString.isBlank()) {
      throw new IllegalArgumentException("empty ZooKeeper connect string; expected host:port[,host:port...]");
    }
    root = ZkLayout.checkRoot(root);
  }

  /** Parses {@code zk://h1:2181,h2:2181/trellis}; the message of a failure names the spec and the form. */
  public static ZkAddress parse(String spec) {
    if (spec == null || !spec.startsWith("zk://")) {
      throw bad(spec, "it does not start with zk://");
    }
    String rest = spec.substring("zk://".length());
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? ZkLayout.DEFAULT_ROOT : rest.substring(slash);
    if (path.equals("/")) {
      path = ZkLayout.DEFAULT_ROOT;
    }
    if (hosts.isEmpty()) {
      throw bad(spec, "it names no host");
    }
    List<String> servers = new ArrayList<>();
    for (String server : hosts.split(",", -1)) {
      String hostPort = server.contains(":") ? server : server + ":" + DEFAULT_PORT;
      String problem = MasterInfo.endpointProblem(hostPort);
      if (problem != null) {
        throw bad(spec, "server '" + server + "' " + problem);
      }
      servers.add(hostPort);
    }
    try {
      return new ZkAddress(String.join(",", servers), path);
    } catch (IllegalArgumentException e) {
      throw bad(spec, "path '" + path + "' is not an absolute znode path");
    }
  }

  public ZkLayout layout() {
    return new ZkLayout(root);
  }

  @Override
  public String toString() {
    return "zk://" + connectString + root;
  }

  private static IllegalArgumentException bad(String spec, String why) {
    return new IllegalArgumentException("bad ZooKeeper address '" + spec + "': " + why + "; expected " + FORM);
  }
}
