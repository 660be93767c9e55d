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
 */
public record JobsConfig(String zk, String master, String host, int port, String role, String user,
    EngineConfig engine) {
  public static final int DEFAULT_PORT = 4400;

  public static JobsConfig of(String zk) {
    return new JobsConfig(zk, null, "127.0.0.1", DEFAULT_PORT, "*", System.getProperty("user.name", "root"),
        EngineConfig.defaults());
  }

  public JobsConfig withPort(int p) {
    return new JobsConfig(zk, master, host, p, role, user, engine);
  }

  public JobsConfig withMaster(String m) {
    return new JobsConfig(zk, m, host, port, role, user, engine);
  }

  public JobsConfig withHost(String h) {
    return new JobsConfig(zk, master, h, port, role, user, engine);
  }

  public JobsConfig withRole(String r) {
    return new JobsConfig(zk, master, host, port, r, user, engine);
  }

  public JobsConfig withEngine(EngineConfig e) {
    return new JobsConfig(zk, master, host, port, role, user, e);
  }

  public String masterSpec() {
    return master == null || master.isBlank() ? zk : master;
  }
}
