package io.trellis.cli;

import io.trellis.plugin.AuthOptions;
import io.trellis.security.auth.Hashes;
import io.trellis.security.auth.SecurityDir;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trellis security}: make tokens for principals and hashes of passwords. */
@Command(name = "security", mixinStandardHelpOptions = true,
    description = "Make bearer tokens for principals and password hashes for a credentials file.",
    subcommands = {SecurityCommand.Token.class, SecurityCommand.HashPassword.class, SecurityCommand.NewClusterKey.class})
final class SecurityCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code trellis security token NAME}: a new token for a principal, its hash added to the tokens file. */
  @Command(name = "token", mixinStandardHelpOptions = true,
      description = "Make a token for a principal (<security-dir>/<name>.token, mode 0600) and add its hash to"
          + " <security-dir>/tokens, which the servers reading it accept within a second.")
  static final class Token implements Callable<Integer> {
    @Parameters(index = "0", description = "The principal's name, as access rules name it")
    String name;

    @Option(names = "--security-dir", description = "Default: ~/.trellis/security")
    Path dir;

    @Override
    public Integer call() throws Exception {
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")) {
        System.err.println("trellis security token: '" + name + "' is not a principal name: use up to 64 letters,"
            + " digits, '.', '_', '@' or '-', starting with a letter or digit");
        return 2;
      }
      SecurityDir security = SecurityDir.open(dir != null ? dir : AuthOptions.defaultDir());
      boolean made = security.ensureToken(name);
      System.out.println((made ? "made " : "kept the existing ") + security.tokenFile(name)
          + "; its hash is in " + security.tokens() + " (copy that line to other servers' --tokens-file)");
      return 0;
    }
  }

  /** {@code trellis security cluster-key FILE}: a new cluster key for masters and agents. */
  @Command(name = "cluster-key", mixinStandardHelpOptions = true,
      description = "Write a new cluster key (32 random bytes in hex, mode 0600) to FILE, for every master and agent"
          + " of the cluster (--cluster-key-file); a key already in FILE is checked and kept.")
  static final class NewClusterKey implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Where the key goes, e.g. /etc/trellis/cluster.key")
    Path file;

    @Override
    public Integer call() {
      boolean existed = java.nio.file.Files.exists(file);
      try {
        io.trellis.security.signing.ClusterKey.readOrCreate(file);
      } catch (IllegalArgumentException e) {
        System.err.println("trellis security cluster-key: " + e.getMessage());
        return 2;
      } catch (java.io.IOException e) {
        System.err.println("trellis security cluster-key: cannot write " + file + " (" + e + "): give a path in a"
            + " directory this user may write");
        return 2;
      }
      System.out.println((existed ? "kept the existing cluster key " : "made the cluster key ") + file
          + " (mode 0600); give the same file to every master and agent with --cluster-key-file");
      return 0;
    }
  }

  /** {@code trellis security hash-password USER}: a credentials-file line from a password read on stdin. */
  @Command(name = "hash-password", mixinStandardHelpOptions = true,
      description = "Read a password (one line on standard input) and print the credentials-file line for USER.")
  static final class HashPassword implements Callable<Integer> {
    @Parameters(index = "0", description = "The user's name")
    String user;

    @Option(names = "--iterations", defaultValue = "" + Hashes.PASSWORD_ITERATIONS,
        description = "PBKDF2 iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() throws Exception {
      if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
        System.err.println("trellis security hash-password: the user name may not be empty nor hold ':' or spaces");
        return 2;
      }
      if (iterations < 10_000 || iterations > 10_000_000) {
        System.err.println("trellis security hash-password: --iterations " + iterations + " is outside 10000 to 10000000");
        return 2;
      }
      char[] password = System.console() != null ? System.console().readPassword("password for %s: ", user)
          : readLine();
      if (password == null || password.length == 0) {
        System.err.println("trellis security hash-password: no password given on standard input");
        return 2;
      }
      System.out.println(user + ":" + Hashes.passwordHash(password, iterations));
      java.util.Arrays.fill(password, '\0');
      return 0;
    }

    private static char[] readLine() throws java.io.IOException {
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return line == null ? null : line.toCharArray();
    }
  }
}
