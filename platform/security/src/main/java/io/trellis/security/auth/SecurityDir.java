package io.trellis.security.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A data directory's {@code security/} folder: {@code <principal>.token} files (one line, the raw
 * token, mode 0600) for the principals this machine's processes are, and {@code tokens}, the
 * SHA-256 of every token the servers reading it accept ({@code <principal> sha256:<hex>} lines;
 * hashes only, so the file may be shared between the servers of a cluster). Creating a token
 * writes both, under a lock, so processes starting together on one machine agree.
 */
public final class SecurityDir {
  /** The file of token hashes in a security folder. */
  public static final String TOKENS = "tokens";
  /** The access rules a server reads from its security folder when no other file is named. */
  public static final String RULES = "acl.json";
  private final Path dir;

  private SecurityDir(Path dir) {
    this.dir = dir;
  }

  /** The folder, created (mode 0700) if missing. */
  public static SecurityDir open(Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // The folder keeps the file system's permissions.
    }
    return new SecurityDir(dir);
  }

  public Path path() {
    return dir;
  }

  public Path tokens() {
    return dir.resolve(TOKENS);
  }

  /** Where the token of {@code principal} is kept. */
  public Path tokenFile(String principal) {
    return dir.resolve(principal + ".token");
  }

  /**
   * The token file of {@code principal}, made on first use (a new random token, mode 0600, its
   * hash added to {@code tokens}); a token file already there is kept, and its hash added to
   * {@code tokens} if missing.
   *
   * @return whether a new token was made
   */
  public boolean ensureToken(String principal) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      Path file = tokenFile(principal);
      boolean made = false;
      String token;
      if (Files.exists(file)) {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } else {
        token = Hashes.newToken();
        writeSecret(file, token + "\n");
        made = true;
      }
      String line = principal + " " + Hashes.tokenHash(token);
      List<String> lines = Files.exists(tokens()) ? Files.readAllLines(tokens(), StandardCharsets.UTF_8) : List.of();
      if (!lines.contains(line)) {
        List<String> all = new ArrayList<>(lines);
        if (all.isEmpty()) {
          all.add("# SHA-256 of the bearer tokens the servers reading this file accept: <principal> sha256:<hex>");
        }
        all.add(line);
        Files.write(tokens(), all, StandardCharsets.UTF_8);
      }
      return made;
    }
  }

  /** The principals Trellis' own processes are, and what the default access rules let them do. */
  public static final String DEFAULT_RULES = """
      {"rules": [
        {"principals": ["agent"], "action": "register_agent", "allow": true},
        {"principals": ["master"], "action": "control_agent", "allow": true},
        {"principals": ["services", "jobs"], "action": "register_framework", "allow": true},
        {"principals": ["services", "jobs"], "action": "run_tasks", "allow": true},
        {"principals": ["agent", "master", "services", "jobs"], "action": "read", "allow": true}
      ]}
      """;

  /**
   * Writes {@link #DEFAULT_RULES} to {@code acl.json} when the folder has none: Trellis' own
   * principals may do their part, everyone else only what an operator adds (the admin everything).
   */
  public void ensureRules() throws IOException {
    Path rules = dir.resolve(RULES);
    if (!Files.exists(rules)) {
      Path tmp = dir.resolve(RULES + ".tmp");
      Files.writeString(tmp, DEFAULT_RULES, StandardCharsets.UTF_8);
      Files.move(tmp, rules, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Whether {@code tokens} (or one of {@code more}) already holds a token of {@code principal}. */
  public boolean knows(String principal, List<Path> more) throws IOException {
    List<Path> files = new ArrayList<>(more);
    files.add(tokens());
    for (Path f : files) {
      if (Files.exists(f)) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.strip().startsWith(principal + " ")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void readable(Path file, String option) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(option + " " + file + (Files.exists(file) ? " is not a file this user can read"
          : " does not exist") + ": give the path of an existing file");
    }
  }

  /** Writes {@code text} to a new file readable by its owner only (0600 from the start). */
  public static void writeSecret(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * A closed server's security from this folder: the tokens of {@code tokens} and of {@code
   * moreTokens}, basic credentials from {@code credentials} when given, the access rules of
   * {@code rules} (else this folder's {@code acl.json} when present, else only the admins may act).
   */
  public ServerSecurity serverSecurity(List<Path> moreTokens, Path credentials, Path rules, String admin)
      throws IOException {
    for (Path f : moreTokens) {
      readable(f, "--tokens-file");
    }
    if (credentials != null) {
      readable(credentials, "--credentials-file");
    }
    if (rules != null) {
      readable(rules, "--acl-file");
    }
    List<Path> tokenFiles = new ArrayList<>();
    if (Files.exists(tokens())) {
      tokenFiles.add(tokens());
    }
    tokenFiles.addAll(moreTokens);
    List<Authenticator> authenticators = new ArrayList<>();
    authenticators.add(BearerTokens.fromFiles(tokenFiles));
    if (credentials != null) {
      authenticators.add(BasicCredentials.fromFile(credentials));
    }
    Path rulesFile = rules != null ? rules : Files.exists(dir.resolve(RULES)) ? dir.resolve(RULES) : null;
    AccessRules access = rulesFile == null ? AccessRules.adminsOnly(java.util.Set.of(admin))
        : AccessRules.fromFile(rulesFile, java.util.Set.of(admin));
    return ServerSecurity.on(authenticators, access);
  }
}
