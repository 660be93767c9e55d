package io.trellis.security;

import io.trellis.security.tls.ServerTls;
import io.trellis.security.zk.ZkCredentials;

/**
 * How a Trellis process (master, agent, services, jobs) talks on the wire: the TLS of its own
 * server, the client settings it calls its peers with (a master its agents, an agent its
 * masters, an instance its leader), and the ZooKeeper credentials of its cluster.
 *
 * @param server its server's TLS, or null for plain HTTP
 * @param client what it presents and trusts when it calls peers
 * @param zk the ZooKeeper digest credentials, or null for open znodes
 */
public record TransportSecurity(ServerTls server, ClientSecurity client, ZkCredentials zk) {
  /** Plain HTTP, no credentials, open znodes: what programmatic configurations default to. */
  public static final TransportSecurity NONE = new TransportSecurity(null, ClientSecurity.none(), null);

  public TransportSecurity {
    client = client == null ? ClientSecurity.none() : client;
  }

  /** The URL scheme this process's server speaks. */
  public String scheme() {
    return server == null ? "http" : "https";
  }

  public TransportSecurity withClient(ClientSecurity c) {
    return new TransportSecurity(server, c, zk);
  }
}
