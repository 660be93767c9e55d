package io.trellis.security.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The headers of a master's signed call to an agent and what the signature covers: the HTTP
 * method, the path, the master's leader epoch, a timestamp, a nonce and the SHA-256 digest of
 * the body, one per line, signed with HMAC-SHA256 and the cluster key.
 */
public final class SignedCall {
  /** Milliseconds since the epoch when the master signed the call. */
  public static final String TIMESTAMP_HEADER = "Trellis-Timestamp";
  /** A random value used once: the agent refuses a call whose nonce it has seen. */
  public static final String NONCE_HEADER = "Trellis-Nonce";
  /** {@code HMAC-SHA256 <hex>} over {@link #canonical}. */
  public static final String SIGNATURE_HEADER = "Trellis-Signature";
  static final String SCHEME = "HMAC-SHA256 ";

  private SignedCall() {}

  /** The text the signature covers. */
  static String canonical(String method, String path, String epoch, long timestamp, String nonce, byte[] body) {
    return String.join("\n", method.toUpperCase(java.util.Locale.ROOT), path, epoch == null ? "" : epoch,
        Long.toString(timestamp), nonce, digest(body));
  }

  static String digest(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The headers of one signed call, to add to the request. */
  public record Headers(String timestamp, String nonce, String signature) {
    public Map<String, String> asMap() {
      return Map.of(TIMESTAMP_HEADER, timestamp, NONCE_HEADER, nonce, SIGNATURE_HEADER, signature);
    }
  }
}
