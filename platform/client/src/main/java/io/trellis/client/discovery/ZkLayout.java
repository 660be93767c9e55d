package io.trellis.client.discovery;

/**
 * Where Trellis keeps its znodes under one root (by default {@value #DEFAULT_ROOT}). Masters
 * write these paths and clients read them, so both take them from here:
 *
 * <pre>
 * {root}/leader        Curator leader-election latch of the contending masters
 * {root}/leader-info   EPHEMERAL, the leading master as JSON {"id","endpoint","epoch"}
 * {root}/epoch         the leader epoch counter (decimal text), advanced by each new leader
 * {root}/state/{collection}/{id}   the master's durable state, one znode per entity
 * </pre>
 *
 * @param root absolute znode path, such as {@code /trellis}
 */
public record ZkLayout(String root) {
  public static final String DEFAULT_ROOT = "/trellis";

  public ZkLayout {
    root = checkRoot(root);
  }

  public static ZkLayout defaults() {
    return new ZkLayout(DEFAULT_ROOT);
  }

  public String leaderLatch() {
    return child("leader");
  }

  public String leaderInfo() {
    return child("leader-info");
  }

  public String epoch() {
    return child("epoch");
  }

  public String state() {
    return child("state");
  }

  private String child(String name) {
    return root.equals("/") ? "/" + name : root + "/" + name;
  }

  /** Validates an absolute znode path and drops a trailing slash. */
  static String checkRoot(String root) {
    if (root == null || !root.startsWith("/")) {
      throw new IllegalArgumentException(
          "bad ZooKeeper root path '" + root + "': expected an absolute path such as /trellis");
    }
    String path = root.length() > 1 && root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    if (path.length() > 1) {
      for (String segment : path.substring(1).split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
            || segment.chars().anyMatch(c -> c < 0x20 || Character.isWhitespace(c))) {
          throw new IllegalArgumentException("bad ZooKeeper root path '" + root
              + "': segment '" + segment + "' is empty, relative or has blanks; expected a path such as /trellis");
        }
      }
    }
    return path;
  }
}
