package io.trellis.security;

import io.trellis.security.tls.SslContexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * How every Trellis client finds its credentials and TLS settings, first found wins:
 *
 * <ol>
 *   <li>a command's {@code --token-file};
 *   <li>{@code TRELLIS_TOKEN} (the raw token);
 *   <li>{@code TRELLIS_TOKEN_FILE} (a file holding it);
 *   <li>{@code TRELLIS_USER} + {@code TRELLIS_PASSWORD} (HTTP basic);
 *   <li>{@code ~/.trellis/token};
 *   <li>{@code security/admin.token} in {@code trellis local}'s default data directory
 *       ({@code ~/.trellis/local}), when this user can read it.
 * </ol>
 *
 * TLS: a command's {@code --ca}, else {@code TRELLIS_CA} (PEM bundle to trust), else
 * {@code security/ca.pem} of {@code trellis local}'s default data directory when present; a
 * client certificate for mutual TLS from {@code --cert}/{@code --key}, else {@code TRELLIS_CERT}
 * + {@code TRELLIS_KEY}. With a CA or a certificate, clients speak https.
 */
public final class ClientDiscovery {
  public static final String TOKEN = "TRELLIS_TOKEN";
  public static final String TOKEN_FILE = "TRELLIS_TOKEN_FILE";
  public static final String USER = "TRELLIS_USER";
  public static final String PASSWORD = "TRELLIS_PASSWORD";
  public static final String CA = "TRELLIS_CA";
  public static final String CERT = "TRELLIS_CERT";
  public static final String KEY = "TRELLIS_KEY";
  /** The files of a data directory's {@code security/} folder that clients read. */
  public static final String SECURITY_DIR = "security";
  public static final String ADMIN_TOKEN = "admin.token";
  public static final String LOCAL_CA = "ca.pem";

  /**
   * A command's own options, each overriding the environment; null when not given.
   *
   * @param tokenFile {@code --token-file}
   * @param ca {@code --ca}
   * @param certificate {@code --cert}
   * @param key {@code --key}
   */
  public record Options(Path tokenFile, Path ca, Path certificate, Path key) {
    public static final Options NONE = new Options(null, null, null, null);
  }

  private final Map<String, String> env;
  private final Path home;

  /**
   * @param env the environment variables to read
   * @param home the user's home directory ({@code ~/.trellis/...} resolves against it)
   */
  public ClientDiscovery(Map<String, String> env, Path home) {
    this.env = Map.copyOf(env);
    this.home = home;
  }

  static ClientDiscovery system() {
    return new ClientDiscovery(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** {@code trellis local}'s default data directory: {@code ~/.trellis/local}. */
  public Path localDataDir() {
    return home.resolve(".trellis").resolve("local");
  }

  /** The settings found, options first; refuses an explicitly named file it cannot use. */
  public ClientSecurity discover(Options options) {
    Path localToken = localDataDir().resolve(SECURITY_DIR).resolve(ADMIN_TOKEN);
    String hint = "the admin token of `trellis local` is in " + localToken + " (readable by the user who runs it)";
    String authorization;
    String from;
    if (options.tokenFile() != null) {
      authorization = bearer(token(options.tokenFile(), "--token-file"));
      from = options.tokenFile().toString();
    } else if (present(TOKEN)) {
      authorization = bearer(env.get(TOKEN).trim());
      from = TOKEN;
    } else if (present(TOKEN_FILE)) {
      Path file = Path.of(env.get(TOKEN_FILE));
      authorization = bearer(token(file, TOKEN_FILE));
      from = file.toString();
    } else if (present(USER) || present(PASSWORD)) {
      if (!present(USER) || !present(PASSWORD)) {
        throw new IllegalArgumentException(present(USER) ? USER + " is set without " + PASSWORD + ": set both for HTTP basic"
            : PASSWORD + " is set without " + USER + ": set both for HTTP basic");
      }
      authorization = "Basic " + Base64.getEncoder().encodeToString(
          (env.get(USER) + ":" + env.get(PASSWORD)).getBytes(StandardCharsets.UTF_8));
      from = USER + "/" + PASSWORD + " (user " + env.get(USER) + ")";
    } else if (Files.isReadable(home.resolve(".trellis").resolve("token"))) {
      Path file = home.resolve(".trellis").resolve("token");
      authorization = bearer(token(file, "~/.trellis/token"));
      from = file.toString();
    } else if (Files.isReadable(localToken)) {
      authorization = bearer(token(localToken, "trellis local's admin token"));
      from = localToken.toString();
    } else {
      authorization = null;
      from = null;
    }
    Path ca = options.ca() != null ? options.ca() : present(CA) ? Path.of(env.get(CA)) : null;
    if (ca == null && Files.isReadable(localDataDir().resolve(SECURITY_DIR).resolve(LOCAL_CA))) {
      ca = localDataDir().resolve(SECURITY_DIR).resolve(LOCAL_CA);
    }
    Path cert = options.certificate() != null || options.key() != null ? options.certificate()
        : present(CERT) || present(KEY) ? pathOrNull(CERT) : null;
    Path key = options.certificate() != null || options.key() != null ? options.key()
        : present(CERT) || present(KEY) ? pathOrNull(KEY) : null;
    SSLContext ssl = ca == null && cert == null && key == null ? null : SslContexts.of(cert, key, ca);
    return new ClientSecurity(authorization, ssl, new ClientSecurity.Sources(from, hint, ca, cert, key));
  }

  private boolean present(String name) {
    String v = env.get(name);
    return v != null && !v.isBlank();
  }

  private Path pathOrNull(String name) {
    return present(name) ? Path.of(env.get(name)) : null;
  }

  private static String bearer(String token) {
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("the token is " + (token.isEmpty() ? "empty" : "not one line of printable"
          + " characters") + ": give the raw token, as in the admin.token file");
    }
    return "Bearer " + token;
  }

  private static String token(Path file, String what) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(what + ": token file " + file + " does not exist", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalArgumentException(what + ": token file " + file + " is not readable by this user", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": cannot read token file " + file + ": " + e.getMessage(), e);
    }
  }
}
