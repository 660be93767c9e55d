package io.trellis.security.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The one-way forms Trellis keeps of secrets: a bearer token is stored as its SHA-256 (tokens are
 * 256 random bits, so a fast hash is enough), a password as PBKDF2-HMAC-SHA256 with a salt and an
 * iteration count. Comparisons are constant-time.
 */
public final class Hashes {
  /** Iterations for new password hashes (OWASP's figure for PBKDF2-HMAC-SHA256). */
  public static final int PASSWORD_ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Hashes() {}

  /** A new random token: 256 bits, URL-safe Base64 without padding. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code sha256:<hex>} of a token: what a tokens file holds. */
  public static String tokenHash(String token) {
    return "sha256:" + HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("the JDK has no SHA-256", impossible);
    }
  }

  /** Whether two byte strings are equal, in time that depends only on their lengths. */
  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /**
   * {@code pbkdf2-sha256:<iterations>:<salt>:<hash>} (salt and hash in Base64) of a password with a
   * new random salt: the form a credentials file holds.
   */
  public static String passwordHash(char[] password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return "pbkdf2-sha256:" + iterations + ":" + b64.encodeToString(salt) + ":"
        + b64.encodeToString(pbkdf2(password, salt, iterations));
  }

  static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", impossible);
    } finally {
      spec.clearPassword();
    }
  }
}
