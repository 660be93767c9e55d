package io.trellis.security;

import io.trellis.security.auth.SecurityDir;
import io.trellis.security.auth.ServerSecurity;
import io.trellis.security.signing.ClusterKey;
import io.trellis.security.tls.SelfSignedSetup;
import io.trellis.security.tls.ServerTls;
import io.trellis.security.tls.SslContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Every protection of a closed cluster on one machine, made in one folder, for processes started
 * in code (benchmarks comparing a closed cluster with an open one, tests): a self-signed CA and
 * a server certificate for 127.0.0.1 on every server and trusted by every client, a bearer token
 * per principal checked with the default access rules, and the cluster key that signs masters'
 * calls to agents. {@link #OPEN}: plain HTTP, nothing checked, calls unsigned.
 */
public final class ClosedSetup {
  /** Plain HTTP, no credentials, no checks, unsigned calls. */
  public static final ClosedSetup OPEN = new ClosedSetup(null, null, null, ServerSecurity.off(), null, null);

  private final SecurityDir dir;
  private final ServerTls server;
  private final javax.net.ssl.SSLContext trust;
  private final ServerSecurity checks;
  private final ClusterKey key;
  private final Path keyFile;

  private ClosedSetup(SecurityDir dir, ServerTls server, javax.net.ssl.SSLContext trust, ServerSecurity checks, ClusterKey key,
      Path keyFile) {
    this.dir = dir;
    this.server = server;
    this.trust = trust;
    this.checks = checks;
    this.key = key;
    this.keyFile = keyFile;
  }

  /** Makes (or reuses) the closed setup in {@code folder}; its admin principal is {@code admin}. */
  public static ClosedSetup in(Path folder) throws IOException {
    SecurityDir security = SecurityDir.open(folder);
    for (String principal : List.of("admin", "agent", "master", "services", "jobs")) {
      security.ensureToken(principal);
    }
    if (!Files.exists(folder.resolve(SecurityDir.RULES))) {
      Files.writeString(folder.resolve(SecurityDir.RULES), SecurityDir.DEFAULT_RULES);
    }
    SelfSignedSetup tls = SelfSignedSetup.ensure(folder, List.of("127.0.0.1", "localhost"), Instant.now());
    Path keyFile = folder.resolve(ClusterKey.FILE);
    return new ClosedSetup(security, tls.server(ServerTls.ClientAuth.NONE),
        SslContexts.of(null, null, tls.ca()),
        security.serverSecurity(List.of(), null, null, "admin"), ClusterKey.readOrCreate(keyFile), keyFile);
  }

  public boolean isOpen() {
    return dir == null;
  }

  /** How the servers check their callers. */
  public ServerSecurity serverSecurity() {
    return checks;
  }

  /** What a client acting as {@code principal} presents and trusts. */
  public ClientSecurity client(String principal) {
    if (isOpen()) {
      return ClientSecurity.none();
    }
    try {
      String token = Files.readString(dir.tokenFile(principal)).strip();
      return new ClientSecurity(null, trust).withToken(token);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("no token for principal " + principal + " in " + dir.path(), e);
    }
  }

  /** The TLS of a process's server and what it presents as {@code principal} when calling peers. */
  public TransportSecurity transport(String principal) {
    return isOpen() ? TransportSecurity.NONE : new TransportSecurity(server, client(principal), null);
  }

  /** The servers' TLS context (certificate and key), or {@code null} when open. */
  public javax.net.ssl.SSLContext serverContext() {
    return server == null ? null : server.context();
  }

  /** The key masters sign their calls to agents with, or {@code null} when open. */
  public ClusterKey clusterKey() {
    return key;
  }

  /** The file of {@link #clusterKey()} (an agent's {@code --cluster-key-file}), or {@code null}. */
  public Path clusterKeyFile() {
    return keyFile;
  }

  /** One line saying what protects the calls. */
  public String describe() {
    return isOpen() ? "plain HTTP, no authentication"
        : "TLS, bearer tokens and access rules on every call, signed master-to-agent calls";
  }
}
