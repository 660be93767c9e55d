package io.trellis.spark;

/**
 * A Spark master URL that names a Trellis cluster: {@code trellis://host:port} (one master) or
 * {@code trellis://zk://host:port/path} (the leader found through ZooKeeper).
 *
 * <p>Apache Spark's own {@code spark-submit} (4.2) refuses every master that is not {@code yarn}
 * and does not start with {@code spark}, {@code k8s} or {@code local}, before any cluster manager
 * is asked. The same addresses written {@code spark+trellis://host:port} or
 * {@code spark+trellis://zk://host:port/path} pass that check (as a "standalone" master, which in
 * client mode changes nothing but the option mapping), are not Spark's own {@code spark://}, and so
 * reach {@link TrellisClusterManager}.
 */
public record MasterUrl(String detectorSpec) {
  public static final String PREFIX = "trellis://";
  /** The form stock {@code spark-submit} accepts. */
  public static final String SUBMIT_PREFIX = "spark+trellis://";

  public static boolean matches(String url) {
    return url != null && (url.startsWith(PREFIX) || url.startsWith(SUBMIT_PREFIX));
  }

  public static MasterUrl parse(String url) {
    if (!matches(url)) {
      throw new IllegalArgumentException("not a Trellis master URL: '" + url
          + "'; expected trellis://host:port or trellis://zk://host:port/path"
          + " (spark+trellis://... with Spark's own spark-submit)");
    }
    String rest = url.substring(url.startsWith(PREFIX) ? PREFIX.length() : SUBMIT_PREFIX.length());
    String scheme = url.substring(0, url.length() - rest.length());
    if (rest.startsWith("zk://")) {
      if (rest.length() <= "zk://".length() || !rest.substring(5).contains("/")) {
        throw new IllegalArgumentException("bad Trellis master URL '" + url
            + "': a ZooKeeper address needs hosts and a path, as in " + scheme + "zk://127.0.0.1:2181/trellis");
      }
      return new MasterUrl(rest);
    }
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon == rest.length() - 1 || rest.contains("/")) {
      throw new IllegalArgumentException("bad Trellis master URL '" + url
          + "': expected " + scheme + "host:port, as in " + scheme + "127.0.0.1:5050");
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
