package io.trellis.jobs.framework;

import io.trellis.jobs.engine.EngineConfig;

/**
 * How a jobs framework instance runs.
 *
 * @param zk the ZooKeeper spec {@code zk://host:port/trellis}: the job store lives under
 *     {@code <path>/jobs}, and instances elect their leader there
 * @param master where the leading master is found ({@code zk://...} or {@code host:port});
 *     the {@code zk} spec when null
 * @param host the address the API binds to
 * @param port the API port (0 for a free one)
 * @param role the role the framework's tasks run under
 * @param user the user the framework registers as
 * @param zkSessionTimeout the ZooKeeper session timeout: how long ZooKeeper may be unreachable
 *     before this instance loses the lead
 */
public record JobsConfig(String zk, String master, String host, int port, String role, String user,
    EngineConfig engine, java.time.Duration zkSessionTimeout) {
  public static final int DEFAULT_PORT = 4400;
  public static final java.time.Duration DEFAULT_ZK_SESSION_TIMEOUT = java.time.Duration.ofSeconds(10);

  public JobsConfig {
    if (zkSessionTimeout == null || zkSessionTimeout.compareTo(java.time.Duration.ofSeconds(1)) < 0
        || zkSessionTimeout.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("ZooKeeper session timeout " + zkSessionTimeout
          + " is outside 1 s to 10 min");
    }
  }

  public static JobsConfig of(String zk) {
    return new JobsConfig(zk, null, "127.0.0.1", DEFAULT_PORT, "*", System.getProperty("user.name", "root"),
        EngineConfig.defaults(), DEFAULT_ZK_SESSION_TIMEOUT);
  }

  public JobsConfig withZkSessionTimeout(java.time.Duration t) {
    return new JobsConfig(zk, master, host, port, role, user, engine, t);
  }

  public JobsConfig withPort(int p) {
    return new JobsConfig(zk, master, host, p, role, user, engine, zkSessionTimeout);
  }

  public JobsConfig withMaster(String m) {
    return new JobsConfig(zk, m, host, port, role, user, engine, zkSessionTimeout);
  }

  public JobsConfig withHost(String h) {
    return new JobsConfig(zk, master, h, port, role, user, engine, zkSessionTimeout);
  }

  public JobsConfig withRole(String r) {
    return new JobsConfig(zk, master, host, port, r, user, engine, zkSessionTimeout);
  }

  public JobsConfig withEngine(EngineConfig e) {
    return new JobsConfig(zk, master, host, port, role, user, e, zkSessionTimeout);
  }

  public String masterSpec() {
    return master == null || master.isBlank() ? zk : master;
  }
}
