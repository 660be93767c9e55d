package io.trellis.cli;

import io.trellis.security.ClientSecurity;
import io.trellis.security.TransportSecurity;
import io.trellis.security.tls.SelfSignedSetup;
import io.trellis.security.tls.ServerTls;
import io.trellis.security.tls.SslContexts;
import io.trellis.security.zk.ZkCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The TLS of {@code trellis local}: with {@code --tls}, the self-signed setup in
 * {@code <data dir>/security/} (every server presents its certificate, every in-process client
 * trusts its CA and presents the same certificate for mutual TLS); without, the files of an
 * earlier {@code --tls} run are removed, so clients on this machine stop expecting https.
 */
final class LocalTls {
  private LocalTls() {}

  static TransportSecurity transport(Path dataDir, boolean tls, ServerTls.ClientAuth clientAuth, ZkCredentials zk)
      throws IOException {
    Path dir = dataDir.resolve(io.trellis.security.ClientDiscovery.SECURITY_DIR);
    if (!tls) {
      for (String f : List.of(SelfSignedSetup.CA, SelfSignedSetup.CA_KEY, SelfSignedSetup.SERVER, SelfSignedSetup.SERVER_KEY)) {
        Files.deleteIfExists(dir.resolve(f));
      }
      return new TransportSecurity(null, ClientSecurity.none(), zk);
    }
    SelfSignedSetup setup = SelfSignedSetup.ensure(dir, List.of(), Instant.now());
    ClientSecurity peers = new ClientSecurity(null, SslContexts.of(setup.certificate(), setup.key(), setup.ca()),
        new ClientSecurity.Sources(null, null, setup.ca(), setup.certificate(), setup.key()));
    return new TransportSecurity(setup.server(clientAuth), peers, zk);
  }
}
