package io.trellis.security;

import io.trellis.security.auth.Hashes;
import io.trellis.security.auth.SecurityDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The token of an adapter's own control API (the Hadoop ResourceManager's flex, status and
 * shutdown port): made at random when the process starts, written readable by its user only to
 * {@code ~/.trellis/control/<port>.token}, and asked of every call. The {@code trellis} command
 * of the same user on the same machine finds it by the port; elsewhere it is given in {@value
 * #ENV}.
 */
public final class ControlToken {
  /** The environment variable that gives a control API's token to a client. */
  public static final String ENV = "TRELLIS_CONTROL_TOKEN";

  private ControlToken() {}

  /** Where the token of the control API on {@code port} is kept for this user. */
  public static Path file(int port) {
    return Path.of(System.getProperty("user.home"), ".trellis", "control", port + ".token");
  }

  /** Makes a new token for the control API on {@code port} and writes it to {@link #file(int)}. */
  public static String create(int port) throws IOException {
    Path file = file(port);
    SecurityDir.open(file.getParent());
    String token = Hashes.newToken();
    SecurityDir.writeSecret(file, token + "\n");
    return token;
  }

  /** The token a client sends to the control API on {@code port}: {@value #ENV}, else the file; or null. */
  public static String find(int port) {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return Files.isReadable(file(port)) ? Files.readString(file(port), StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether an {@code Authorization} header carries {@code token} (compared in constant time). */
  public static boolean accepts(String token, String authorization) {
    if (token == null || authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8));
  }
}
