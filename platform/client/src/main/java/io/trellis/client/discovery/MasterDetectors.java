package io.trellis.client.discovery;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds the detector a master spec asks for. */
public final class MasterDetectors {
  static final String FORMS = ZkAddress.FORM + ", host:port or http(s)://host:port";
  private static final int SESSION_TIMEOUT_MS = 10_000;
  private static final int CONNECTION_TIMEOUT_MS = 5_000;

  private MasterDetectors() {}

  /**
   * A detector for {@code spec}: {@code zk://host:port[,host:port...]/path} follows the leader
   * election under that path (its own ZooKeeper client, closed with the detector);
   * {@code host:port} or {@code http://host:port} names one fixed master.
   *
   * @throws IllegalArgumentException naming the spec and the expected forms if it is none of them
   */
  public static MasterDetector from(String spec) {
    return from(spec, java.time.Duration.ofMillis(SESSION_TIMEOUT_MS));
  }

  /** As {@link #from(String)}, with this ZooKeeper session timeout for a {@code zk://} spec. */
  public static MasterDetector from(String spec, java.time.Duration sessionTimeout) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty master spec; expected " + FORMS);
    }
    String s = spec.strip();
    if (s.startsWith("zk://")) {
      ZkAddress address;
      try {
        address = ZkAddress.parse(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " (a master spec is " + FORMS + ")", e);
      }
      // The leader znodes are readable without credentials; with them, the detector reads as the cluster does.
      CuratorFramework client = io.trellis.security.zk.ZkCredentials.apply(io.trellis.security.zk.ZkCredentials.fromEnvironment(),
          CuratorFrameworkFactory.builder()
          .connectString(address.connectString())
          .sessionTimeoutMs((int) sessionTimeout.toMillis())
          .connectionTimeoutMs((int) Math.min(CONNECTION_TIMEOUT_MS, sessionTimeout.toMillis()))
          .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000)))
          .build();
      return ZkMasterDetector.owning(client, address);
    }
    String endpoint = s;
    if (s.startsWith("http://") || s.startsWith("https://")) {
      // The scheme the client speaks comes from its TLS settings (ClientSecurity), not from here.
      endpoint = s.substring(s.indexOf("://") + 3);
      if (endpoint.endsWith("/")) {
        endpoint = endpoint.substring(0, endpoint.length() - 1);
      }
    } else if (s.contains("://")) {
      throw new IllegalArgumentException("bad master spec '" + spec + "': unsupported scheme '"
          + s.substring(0, s.indexOf("://")) + "'; expected " + FORMS);
    }
    String problem = MasterInfo.endpointProblem(endpoint);
    if (problem != null) {
      throw new IllegalArgumentException("bad master spec '" + spec + "': " + problem + "; expected " + FORMS);
    }
    return new FixedMasterDetector(endpoint);
  }
}
