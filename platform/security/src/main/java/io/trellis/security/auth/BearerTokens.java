package io.trellis.security.auth;

import io.trellis.security.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.glassfish.grizzly.http.server.Request;

/**
 * {@code Authorization: Bearer <token>} checked against the SHA-256 hashes of the tokens a
 * server accepts (never the tokens themselves). A tokens file has one line per token:
 * {@code <principal> sha256:<hex>}; blank lines and lines starting with {@code #} are ignored.
 */
public final class BearerTokens implements Authenticator {
  private final List<Entry> entries;

  private record Entry(Principal principal, byte[] hash) {}

  private BearerTokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Accepts the tokens whose lines are in {@code files} (all of them, in order). */
  public static BearerTokens fromFiles(List<Path> files) throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        entries.add(parse(line, file + " line " + (i + 1)));
      }
    }
    return new BearerTokens(entries);
  }

  /** Accepts the tokens of {@code hashes}: principal name to {@code sha256:<hex>}. */
  public static BearerTokens of(java.util.Map<String, String> hashes) {
    List<Entry> entries = new ArrayList<>();
    hashes.forEach((name, hash) -> entries.add(parse(name + " " + hash, "principal " + name)));
    return new BearerTokens(entries);
  }

  private static Entry parse(String line, String where) {
    String[] parts = line.split("\\s+");
    if (parts.length != 2 || !parts[1].startsWith("sha256:") || parts[1].length() != "sha256:".length() + 64) {
      throw new IllegalArgumentException(where + ": expected '<principal> sha256:<64 hex digits>'"
          + " (the SHA-256 of the token, never the token itself)");
    }
    try {
      return new Entry(new Principal(parts[0]), HexFormat.of().parseHex(parts[1].substring("sha256:".length())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": the hash is not 64 hex digits");
    }
  }

  /** How many tokens this accepts. */
  public int size() {
    return entries.size();
  }

  @Override
  public Principal authenticate(Request request) {
    String header = request.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return principal(header.substring(7).strip());
  }

  /** The principal whose token this is, or a refusal; compares every hash, in constant time each. */
  public Principal principal(String token) {
    byte[] presented = Hashes.sha256(token.getBytes(StandardCharsets.UTF_8));
    Principal found = null;
    for (Entry e : entries) {
      if (Hashes.same(presented, e.hash) && found == null) {
        found = e.principal;
      }
    }
    if (found == null) {
      throw new Unauthenticated("the bearer token is not valid here: use the token of a principal this"
          + " server knows (for the admin, the one in <data dir>/security/admin.token)");
    }
    return found;
  }

  @Override
  public String challenge() {
    return "Bearer realm=\"trellis\"";
  }
}
