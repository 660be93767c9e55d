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
  /** How often the files are checked for changes: a token added to a shared file is accepted within this. */
  private static final long RECHECK_NANOS = 1_000_000_000L;
  private final List<Path> files;
  private volatile List<Entry> entries;
  private volatile List<java.nio.file.attribute.FileTime> stamps;
  private volatile long checkedAt = System.nanoTime();

  private record Entry(Principal principal, byte[] hash) {}

  private BearerTokens(List<Entry> entries, List<Path> files) {
    this.entries = List.copyOf(entries);
    this.files = List.copyOf(files);
    this.stamps = stamps(files);
  }

  /** Accepts the tokens whose lines are in {@code files} (all of them, in order). */
  public static BearerTokens fromFiles(List<Path> files) throws IOException {
    return new BearerTokens(read(files), files);
  }

  private static List<Entry> read(List<Path> files) throws IOException {
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
    return entries;
  }

  private static List<java.nio.file.attribute.FileTime> stamps(List<Path> files) {
    List<java.nio.file.attribute.FileTime> out = new ArrayList<>();
    for (Path f : files) {
      try {
        out.add(Files.getLastModifiedTime(f));
      } catch (IOException e) {
        out.add(java.nio.file.attribute.FileTime.fromMillis(0));
      }
    }
    return out;
  }

  /** Reads the files again when one changed (at most once a second); a file that became unreadable keeps the tokens known. */
  private void refresh() {
    long now = System.nanoTime();
    if (files.isEmpty() || now - checkedAt < RECHECK_NANOS) {
      return;
    }
    checkedAt = now;
    List<java.nio.file.attribute.FileTime> current = stamps(files);
    if (current.equals(stamps)) {
      return;
    }
    try {
      entries = List.copyOf(read(files));
      stamps = current;
    } catch (IOException | IllegalArgumentException e) {
      org.slf4j.LoggerFactory.getLogger(BearerTokens.class).warn("keeping the tokens known before: {}", e.getMessage());
    }
  }

  /** Accepts the tokens of {@code hashes}: principal name to {@code sha256:<hex>}. */
  public static BearerTokens of(java.util.Map<String, String> hashes) {
    List<Entry> entries = new ArrayList<>();
    hashes.forEach((name, hash) -> entries.add(parse(name + " " + hash, "principal " + name)));
    return new BearerTokens(entries, List.of());
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
    refresh();
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
    refresh();
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
