package io.trellis.spark;

/**
 * A Spark master URL that names a Trellis cluster: {@code trellis://host:port} (one master) or
 * {@code trellis://zk://host:port/path} (the leader found through ZooKeeper).
 */
public record MasterUrl(String detectorSpec) {
  public static final String PREFIX = "trellis://";

  public static boolean matches(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  public static MasterUrl parse(String url) {
    if (!matches(url)) {
      throw new IllegalArgumentException("not a Trellis master URL: '" + url
          + "'; expected trellis://host:port or trellis://zk://host:port/path");
    }
    String rest = url.substring(PREFIX.length());
    if (rest.startsWith("zk://")) {
      if (rest.length() <= "zk://".length() || !rest.substring(5).contains("/")) {
        throw new IllegalArgumentException("bad Trellis master URL '" + url
            + "': a ZooKeeper address needs hosts and a path, as in trellis://zk://127.0.0.1:2181/trellis");
      }
      return new MasterUrl(rest);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.contains("/")) {
      throw new IllegalArgumentException("bad Trellis master URL '" + url
          + "': expected trellis://host:port, as in trellis://127.0.0.1:5050");
    }
    try {
      int port = Integer.parseInt(rest.substring(colon + 1));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad Trellis master URL '" + url + "': port '"
          + rest.substring(colon + 1) + "' is not a number from 1 to 65535", e);
    }
    return new MasterUrl(rest);
  }
}
