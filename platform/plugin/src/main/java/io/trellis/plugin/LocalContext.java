package io.trellis.plugin;

import java.nio.file.Path;

/**
 * What a hosted component of {@code trellis local} gets.
 *
 * @param zk the ZooKeeper spec of the cluster, {@code zk://host:port/trellis}; frameworks find
 *     the leading master through it and keep their own state under their own path
 * @param master the leading master's address, {@code host:port}
 * @param dataDir a directory of the local cluster the component may use ({@code <data>/<name>})
 * @param bindHost the address servers bind to ({@code 127.0.0.1})
 * @param zkSessionTimeout the ZooKeeper session timeout components should use
 * @param transport the TLS of the components' servers, the settings they call the master and
 *     each other with, and the ZooKeeper credentials
 * @param security who may call the component's server: the local cluster's tokens and rules
 *     ({@code <data>/security}), or open under {@code --insecure}
 */
public record LocalContext(String zk, String master, Path dataDir, String bindHost, java.time.Duration zkSessionTimeout,
    io.trellis.security.TransportSecurity transport, io.trellis.security.auth.ServerSecurity security) {
  public static final java.time.Duration DEFAULT_ZK_SESSION_TIMEOUT = java.time.Duration.ofSeconds(10);

  public LocalContext {
    transport = transport == null ? io.trellis.security.TransportSecurity.NONE : transport;
    security = security == null ? io.trellis.security.auth.ServerSecurity.off() : security;
  }

  /** A context whose servers are open, with this transport. */
  public LocalContext(String zk, String master, Path dataDir, String bindHost, java.time.Duration zkSessionTimeout,
      io.trellis.security.TransportSecurity transport) {
    this(zk, master, dataDir, bindHost, zkSessionTimeout, transport, null);
  }

  /** A context without TLS, credentials or ZooKeeper ACLs, whose servers are open. */
  public LocalContext(String zk, String master, Path dataDir, String bindHost, java.time.Duration zkSessionTimeout) {
    this(zk, master, dataDir, bindHost, zkSessionTimeout, io.trellis.security.TransportSecurity.NONE, null);
  }

  /** A context with the default ZooKeeper session timeout. */
  public LocalContext(String zk, String master, Path dataDir, String bindHost) {
    this(zk, master, dataDir, bindHost, DEFAULT_ZK_SESSION_TIMEOUT);
  }
}
