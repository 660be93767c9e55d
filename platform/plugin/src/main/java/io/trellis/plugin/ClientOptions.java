package io.trellis.plugin;

import io.trellis.security.ClientDiscovery;
import io.trellis.security.ClientSecurity;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The credential and TLS options of every {@code trellis} command that calls a Trellis API: a
 * picocli mixin. Each overrides what the environment says ({@link ClientDiscovery}).
 */
public final class ClientOptions {
  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--token-file", description = "File holding the bearer token to call with (default: $TRELLIS_TOKEN,"
      + " $TRELLIS_TOKEN_FILE, ~/.trellis/token, then trellis local's admin token)")
  Path tokenFile;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--ca", description = "PEM bundle of the CA to trust for https (default: $TRELLIS_CA, then trellis"
      + " local's security/ca.pem)")
  Path ca;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--cert", description = "PEM client certificate for mutual TLS (default: $TRELLIS_CERT)")
  Path certificate;

  @Option(scope = picocli.CommandLine.ScopeType.INHERIT, names = "--key", description = "PEM private key of --cert (default: $TRELLIS_KEY)")
  Path key;

  /** The credentials and TLS settings of these options and the environment. */
  public ClientSecurity security() {
    return ClientSecurity.fromEnvironment(new ClientDiscovery.Options(tokenFile, ca, certificate, key));
  }
}
