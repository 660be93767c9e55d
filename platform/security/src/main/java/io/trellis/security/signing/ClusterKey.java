package io.trellis.security.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

/**
 * The secret masters sign their calls to agents with and agents verify them with: at least 32
 * random bytes, kept hex-encoded on one line of a file only its owner may read ({@code
 * <data dir>/security/cluster.key}, mode 0600).
 */
public final class ClusterKey {
  /** The key file's name under a data directory's {@code security/}. */
  public static final String FILE = "cluster.key";
  static final int MIN_BYTES = 32;

  private final byte[] secret;

  private ClusterKey(byte[] secret) {
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException("a cluster key needs at least " + MIN_BYTES + " bytes, got " + secret.length);
    }
    this.secret = secret.clone();
  }

  /** A key of these bytes (tests). */
  public static ClusterKey of(byte[] secret) {
    return new ClusterKey(secret);
  }

  /** A new random key. */
  public static ClusterKey random() {
    byte[] b = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(b);
    return new ClusterKey(b);
  }

  /**
   * Reads a key file.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it (missing,
   *     readable by others, not hex, too short)
   */
  public static ClusterKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the cluster key file " + file + " (" + e
          + "); give the file that `trellis local` or `trellis security cluster-key FILE` wrote, readable by this user");
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IllegalArgumentException("the cluster key file " + file + " is readable by others (mode "
            + PosixFilePermissions.toString(perms) + "); run chmod 600 " + file);
      }
    } catch (UnsupportedOperationException | IOException e) {
      // A file system without POSIX permissions: nothing to check.
    }
    byte[] secret;
    try {
      secret = HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cluster key file " + file + " does not hold a hex-encoded key");
    }
    if (secret.length < MIN_BYTES) {
      throw new IllegalArgumentException("the cluster key in " + file + " has " + secret.length
          + " bytes; a cluster key needs at least " + MIN_BYTES + " (generate a new one)");
    }
    return new ClusterKey(secret);
  }

  /** Reads the key file, writing a new random key (mode 0600) first when there is none. */
  public static ClusterKey readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ClusterKey key = random();
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, HexFormat.of().formatHex(key.secret) + "\n", StandardCharsets.US_ASCII);
        return key;
      } catch (FileAlreadyExistsException e) {
        // Another process wrote it first: use theirs.
      }
    }
    return read(file);
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterKey k && java.security.MessageDigest.isEqual(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(secret);
  }

  /** Never the secret. */
  @Override
  public String toString() {
    return "ClusterKey[" + secret.length + " bytes]";
  }
}
