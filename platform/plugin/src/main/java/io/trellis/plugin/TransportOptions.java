package io.trellis.plugin;

import io.trellis.security.ClientDiscovery;
import io.trellis.security.ClientSecurity;
import io.trellis.security.TransportSecurity;
import io.trellis.security.tls.ServerTls;
import io.trellis.security.tls.SslContexts;
import io.trellis.security.zk.ZkCredentials;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The TLS and ZooKeeper credential options of every Trellis server command ({@code master},
 * {@code agent}, {@code services}, {@code jobs}): a picocli mixin, so they read the same
 * everywhere.
 */
public final class TransportOptions {
  @Option(names = "--tls-cert", description = "PEM certificate chain this server presents (with --tls-key: serve https)")
  Path certificate;

  @Option(names = "--tls-key", description = "PEM private key of --tls-cert (PKCS#8, PKCS#1 or SEC1; keep it 0600)")
  Path key;

  @Option(names = "--tls-ca", description = "PEM bundle of the cluster's CA: verifies client certificates, and the"
      + " servers this process calls (masters, agents, peers)")
  Path ca;

  @Option(names = "--tls-client-auth", defaultValue = "none",
      description = "Client certificates: none, want or need (mutual TLS; needs --tls-ca) (default: ${DEFAULT-VALUE})")
  String clientAuth;

  @picocli.CommandLine.Mixin
  ZkCredentialOptions zk = new ZkCredentialOptions();

  /** This server's TLS, or null for plain HTTP; refuses inconsistent options naming them. */
  public ServerTls serverTls() {
    return ServerTls.of(certificate, key, ca, clientAuth);
  }

  /** The ZooKeeper credentials of the options or the environment, or null. */
  public ZkCredentials zk() {
    return zk.credentials();
  }

  /**
   * For a master or an agent: its server's TLS, and for calls to its peers (agents, masters)
   * the same certificate (mutual TLS) and the cluster's CA.
   */
  public TransportSecurity forPeers() {
    ServerTls tls = serverTls();
    ClientSecurity peers = tls == null ? ClientSecurity.none()
        : new ClientSecurity(null, SslContexts.of(certificate, key, ca),
            new ClientSecurity.Sources(null, null, ca, certificate, key));
    return new TransportSecurity(tls, peers, zk());
  }

  /**
   * For a framework (services, jobs): its server's TLS, and for calls to the master and its
   * peers the credentials found as every client finds them, trusting {@code --tls-ca} and
   * presenting its certificate (for masters that require mutual TLS) when given.
   */
  public TransportSecurity forFramework() {
    ServerTls tls = serverTls();
    ClientSecurity client = ClientSecurity.fromEnvironment(tls == null ? ClientDiscovery.Options.NONE
        : new ClientDiscovery.Options(null, ca, certificate, key));
    return new TransportSecurity(tls, client, zk());
  }
}
