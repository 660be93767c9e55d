package io.trellis.security.tls;

import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;

/**
 * TLS of a Trellis server (master, agent, services, jobs) from PEM files: its certificate chain
 * and key, and for client certificates the CAs that sign them.
 *
 * @param certificate PEM certificate chain, the server's own first
 * @param key its private key (PKCS#8, PKCS#1 or SEC1 PEM)
 * @param clientCa PEM bundle of the CAs client certificates must chain to, or null
 * @param clientAuth whether clients must ({@code NEED}) or may ({@code WANT}) present a
 *     certificate; anything but {@code NONE} needs {@code clientCa}
 */
public record ServerTls(Path certificate, Path key, Path clientCa, ClientAuth clientAuth) {
  /** Whether a server asks its clients for certificates. */
  public enum ClientAuth {
    NONE, WANT, NEED;

    /** {@code none}, {@code want} or {@code need}; the message of a failure names the value. */
    public static ClientAuth parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("--tls-client-auth '" + value + "' is not one of none, want, need");
      }
    }
  }

  public ServerTls {
    if (certificate == null || key == null) {
      throw new IllegalArgumentException("TLS needs both a certificate (--tls-cert) and its key (--tls-key), got "
          + certificate + " and " + key);
    }
    clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    if (clientAuth != ClientAuth.NONE && clientCa == null) {
      throw new IllegalArgumentException("--tls-client-auth " + clientAuth.name().toLowerCase(Locale.ROOT)
          + " needs --tls-ca: the CAs that sign client certificates");
    }
  }

  /**
   * The TLS settings of a server's options, or null when neither {@code --tls-cert} nor
   * {@code --tls-key} is given (plain HTTP).
   */
  public static ServerTls of(Path certificate, Path key, Path clientCa, String clientAuth) {
    if (certificate == null && key == null) {
      if (clientCa != null || (clientAuth != null && ClientAuth.parse(clientAuth) != ClientAuth.NONE)) {
        throw new IllegalArgumentException("--tls-ca and --tls-client-auth need --tls-cert and --tls-key");
      }
      return null;
    }
    return new ServerTls(certificate, key, clientCa, clientAuth == null ? ClientAuth.NONE : ClientAuth.parse(clientAuth));
  }

  /** The server's TLS context; refuses files that are missing, unreadable or do not match. */
  public SSLContext context() {
    return SslContexts.of(certificate, key, clientCa);
  }

  /** Makes every listener of {@code server} speak TLS only; call before it starts. */
  public void install(HttpServer server) {
    SSLEngineConfigurator engines = new SSLEngineConfigurator(context(), false,
        clientAuth == ClientAuth.NEED, clientAuth == ClientAuth.WANT);
    for (NetworkListener listener : server.getListeners()) {
      listener.setSecure(true);
      listener.setSSLEngineConfig(engines);
    }
  }

  /** Installs {@code tls} on {@code server} when it is not null; returns the URL scheme served. */
  public static String install(ServerTls tls, HttpServer server) {
    if (tls == null) {
      return "http";
    }
    tls.install(server);
    return "https";
  }
}
