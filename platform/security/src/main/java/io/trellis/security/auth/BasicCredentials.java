package io.trellis.security.auth;

import io.trellis.security.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.server.Request;

/**
 * {@code Authorization: Basic ...} checked against a credentials file of hashed passwords, one
 * line per user: {@code <user>:pbkdf2-sha256:<iterations>:<salt base64>:<hash base64>} (made by
 * {@code trellis hash-password}); blank lines and lines starting with {@code #} are ignored.
 * A verified user and password pair is remembered as the SHA-256 of both, so that a client
 * sending basic credentials on every call pays the slow hash once.
 */
public final class BasicCredentials implements Authenticator {
  private static final int MAX_REMEMBERED = 1024;
  private final Map<String, Stored> users;
  private final Map<String, Principal> verified = new ConcurrentHashMap<>();

  private record Stored(int iterations, byte[] salt, byte[] hash) {}

  private BasicCredentials(Map<String, Stored> users) {
    this.users = Map.copyOf(users);
  }

  public static BasicCredentials fromFile(Path file) throws IOException {
    Map<String, Stored> users = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(where + ": expected '<user>:pbkdf2-sha256:<iterations>:<salt>:<hash>'");
      }
      users.put(line.substring(0, colon), parse(line.substring(colon + 1), where));
    }
    return new BasicCredentials(users);
  }

  private static Stored parse(String hash, String where) {
    String[] p = hash.split(":");
    if (p.length != 4 || !p[0].equals("pbkdf2-sha256")) {
      throw new IllegalArgumentException(where + ": expected '<user>:pbkdf2-sha256:<iterations>:<salt>:<hash>'"
          + " (make one with `trellis hash-password`)");
    }
    try {
      int iterations = Integer.parseInt(p[1]);
      if (iterations < 1 || iterations > 10_000_000) {
        throw new IllegalArgumentException(where + ": iterations " + iterations + " is outside 1 to 10000000");
      }
      return new Stored(iterations, Base64.getDecoder().decode(p[2]), Base64.getDecoder().decode(p[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + ": iterations '" + p[1] + "' is not a number");
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": the salt or hash is not Base64");
    }
  }

  @Override
  public Principal authenticate(Request request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String pair;
    try {
      pair = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new Unauthenticated("the basic credentials are not Base64 of 'user:password'");
    }
    int colon = pair.indexOf(':');
    if (colon <= 0) {
      throw new Unauthenticated("the basic credentials are not Base64 of 'user:password'");
    }
    return principal(pair.substring(0, colon), pair.substring(colon + 1));
  }

  /** The user, when the password is theirs; else a refusal that does not say which part was wrong. */
  public Principal principal(String user, String password) {
    String key = Base64.getEncoder().encodeToString(
        Hashes.sha256((user + '\0' + password).getBytes(StandardCharsets.UTF_8)));
    Principal known = verified.get(key);
    if (known != null) {
      return known;
    }
    Stored stored = users.get(user);
    // An unknown user costs the same hash as a known one: the time of a refusal does not tell
    // which user names exist.
    Stored checked = stored != null ? stored : users.values().stream().findFirst().orElse(null);
    boolean matches = checked != null
        && Hashes.same(checked.hash, Hashes.pbkdf2(password.toCharArray(), checked.salt, checked.iterations));
    if (stored == null || !matches) {
      throw new Unauthenticated("wrong user name or password");
    }
    Principal p = new Principal(user);
    if (verified.size() >= MAX_REMEMBERED) {
      verified.clear();
    }
    verified.put(key, p);
    return p;
  }

  @Override
  public String challenge() {
    return "Basic realm=\"trellis\"";
  }
}
