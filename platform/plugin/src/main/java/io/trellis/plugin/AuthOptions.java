package io.trellis.plugin;

import io.trellis.security.auth.SecurityDir;
import io.trellis.security.auth.ServerSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * Who may call a Trellis server command ({@code master}, {@code agent}, {@code services},
 * {@code jobs}): a picocli mixin, so the options read the same everywhere. Closed by default:
 * callers need a token (or basic credentials) and access rules; {@code --insecure} opens it.
 */
public final class AuthOptions {
  @Option(names = "--insecure", description = "Serve without authentication or access rules: anyone who can"
      + " reach the port may do anything (logged as a warning)")
  boolean insecure;

  @Option(names = "--security-dir", description = "Folder of this process's tokens (admin.token, made on first"
      + " start, mode 0600) and of the token hashes it accepts ('tokens'); default: under the data directory")
  Path securityDir;

  @Option(names = "--tokens-file", description = "More token hashes to accept, '<principal> sha256:<hex>' lines"
      + " (share one file between the masters and servers of a cluster); repeatable")
  List<Path> tokenFiles = new ArrayList<>();

  @Option(names = "--credentials-file", description = "HTTP basic users, '<user>:pbkdf2-sha256:...' lines"
      + " (`trellis security hash-password`)")
  Path credentialsFile;

  @Option(names = "--acl-file", description = "Access rules (JSON, see docs/security.md); default:"
      + " <security-dir>/acl.json when present, else only the admin may act")
  Path aclFile;

  @Option(names = "--anonymous-read", description = "Let calls without credentials read (GET)")
  boolean anonymousRead;

  @Option(names = "--open-metrics", description = "Serve /metrics without credentials")
  boolean openMetrics;

  @Option(names = "--admin-principal", defaultValue = "admin",
      description = "The principal allowed everything (default: ${DEFAULT-VALUE})")
  String admin;

  public boolean insecure() {
    return insecure;
  }

  /** {@code ~/.trellis/security}: where server commands keep their tokens unless told otherwise. */
  public static Path defaultDir() {
    return Path.of(System.getProperty("user.home"), ".trellis", "security");
  }

  /** The folder this command keeps its tokens in: {@code --security-dir}, else {@code fallback}. */
  public Path securityDir(Path fallback) {
    return securityDir != null ? securityDir : fallback;
  }

  public String admin() {
    return admin;
  }

  /**
   * The server's security: open with a warning under {@code --insecure}; otherwise closed, the
   * admin token made on first start (unless a tokens file already knows the admin) and where it
   * is printed.
   *
   * @param command the command's name, for messages; also the principal whose token the process
   *     presents to the master ({@code agent}, {@code services}, {@code jobs}), made on first start
   * @param defaultDir the security folder when {@code --security-dir} is not given
   */
  public ServerSecurity serverSecurity(String command, Path defaultDir) throws IOException {
    ServerSecurity security = serverSecurity(command, defaultDir, List.of(command));
    if (security.enabled()) {
      System.out.println("admin token: " + adminToken(defaultDir) + " (mode 0600; send it as 'Authorization: Bearer"
          + " <token>', or set TRELLIS_TOKEN_FILE to it)");
    }
    return security;
  }

  /**
   * {@code transport} presenting the token of {@code principal} (made by {@link #serverSecurity})
   * on its calls to peers when this command is closed; unchanged under {@code --insecure}.
   */
  public io.trellis.security.TransportSecurity calling(io.trellis.security.TransportSecurity transport, String principal,
      Path defaultDir) throws IOException {
    if (insecure) {
      return transport;
    }
    String token = java.nio.file.Files.readString(securityDir(defaultDir).resolve(principal + ".token")).strip();
    return transport.withClient(transport.client().withToken(token));
  }

  /** Where the admin token is (or would be) kept. */
  public Path adminToken(Path defaultDir) {
    return securityDir(defaultDir).resolve(admin + ".token");
  }

  /**
   * As {@link #serverSecurity(String, Path)}, making the tokens of {@code principals} (the
   * processes that will call with them), announcing nothing.
   */
  public ServerSecurity serverSecurity(String command, Path defaultDir, List<String> principals) throws IOException {
    if (insecure) {
      LoggerFactory.getLogger(AuthOptions.class).warn("trellis {} runs with --insecure: no authentication and no"
          + " access rules, anyone who reaches its port may do anything", command);
      return ServerSecurity.off();
    }
    SecurityDir dir = SecurityDir.open(securityDir(defaultDir));
    if (!dir.knows(admin, tokenFiles)) {
      dir.ensureToken(admin);
    }
    // The processes' own principals (agent, services, jobs): their tokens, which their calls to
    // the master present, and the default rules that let them do their part.
    for (String principal : principals) {
      dir.ensureToken(principal);
    }
    dir.ensureRules();
    return dir.serverSecurity(tokenFiles, credentialsFile, aclFile, admin).withAnonymousRead(anonymousRead)
        .withOpenMetrics(openMetrics);
  }
}
