package io.trellis.security.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFrameworkFactory;

/**
 * The ZooKeeper digest credentials of a Trellis cluster ({@code user:password}). Every Trellis
 * ZooKeeper client of the cluster (masters, services, jobs, detectors, adapters) authenticates
 * with the same ones, and the znodes they create are readable and writable by them only
 * ({@link TrellisAcls}); anyone may read the leader election znodes, so clients without the
 * credentials still find the leaders. Never logged: {@link #toString()} names the user only.
 *
 * @param user the digest user
 * @param password its password
 */
public record ZkCredentials(String user, String password) {
  /** {@code user:password}. */
  public static final String ENV = "TRELLIS_ZK_CREDENTIALS";
  /** A file holding {@code user:password}. */
  public static final String ENV_FILE = "TRELLIS_ZK_CREDENTIALS_FILE";

  public ZkCredentials {
    if (user == null || user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("the ZooKeeper credentials' user '" + user
          + "' must be non-empty, without ':' or blanks; expected user:password");
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the ZooKeeper credentials of user '" + user + "' have no password;"
          + " expected user:password");
    }
  }

  /** Parses {@code user:password}; the message of a failure never repeats the password. */
  public static ZkCredentials parse(String spec) {
    int colon = spec == null ? -1 : spec.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--zk-credentials expects user:password (or a file holding it"
          + " with --zk-credentials-file), got a value without ':'");
    }
    return new ZkCredentials(spec.substring(0, colon), spec.substring(colon + 1).strip());
  }

  /** Reads {@code user:password} from a file (its first line). */
  public static ZkCredentials read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the ZooKeeper credentials file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the ZooKeeper credentials file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The credentials of a command's options ({@code --zk-credentials}, {@code --zk-credentials-file}),
   * else of the environment ({@value #ENV}, {@value #ENV_FILE}); null when none is configured.
   */
  public static ZkCredentials of(String spec, Path file, Map<String, String> env) {
    if (spec != null && file != null) {
      throw new IllegalArgumentException("give --zk-credentials or --zk-credentials-file, not both");
    }
    if (spec != null) {
      return parse(spec);
    }
    if (file != null) {
      return read(file);
    }
    if (env.get(ENV) != null && !env.get(ENV).isBlank()) {
      return parse(env.get(ENV));
    }
    if (env.get(ENV_FILE) != null && !env.get(ENV_FILE).isBlank()) {
      return read(Path.of(env.get(ENV_FILE)));
    }
    return null;
  }

  /** The credentials of this process's environment, or null. */
  public static ZkCredentials fromEnvironment() {
    return of(null, null, System.getenv());
  }

  /**
   * Makes a Curator client authenticate with {@code credentials} and create Trellis' znodes
   * with {@link TrellisAcls}, {@code elections} (the leader election znodes it creates) readable
   * by anyone; leaves the builder as it is when {@code credentials} is null.
   */
  public static CuratorFrameworkFactory.Builder apply(ZkCredentials credentials, CuratorFrameworkFactory.Builder builder,
      String... elections) {
    if (credentials == null) {
      return builder;
    }
    return builder.authorization("digest", (credentials.user + ":" + credentials.password).getBytes(StandardCharsets.UTF_8))
        .aclProvider(new TrellisAcls(List.of(elections)));
  }

  /** The environment that gives a process Trellis starts these credentials (a secret: never log it). */
  public Map<String, String> environment() {
    return Map.of(ENV, user + ":" + password);
  }

  @Override
  public String toString() {
    return "ZkCredentials[user=" + user + "]";
  }
}
