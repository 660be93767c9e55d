package io.trellis.security.signing;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks that a call an agent received was signed by a master holding the cluster key, within
 * the validity window, and not seen before: nonces are remembered for as long as a call bearing
 * them would be fresh, so a captured call cannot be replayed.
 */
public final class SignatureVerifier {
  /** How far a call's timestamp may be from the agent's clock, either way. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
  private static final int MAX_NONCES = 1_000_000;

  private final Hmac hmac;
  private final InstantSource clock;
  private final long windowMillis;
  /** nonce -> the time after which a call bearing it is stale anyway. */
  private final Map<String, Long> seen = new HashMap<>();

  public SignatureVerifier(ClusterKey key, InstantSource clock, Duration window) {
    this.hmac = new Hmac(key);
    this.clock = clock;
    this.windowMillis = window.toMillis();
  }

  public SignatureVerifier(ClusterKey key) {
    this(key, InstantSource.system(), DEFAULT_WINDOW);
  }

  /** Why a call was refused; the message names what was wrong, never the key. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * Verifies one call.
   *
   * @throws Refused if a header is missing or malformed, the signature does not match, the
   *     timestamp is outside the window or the nonce was used before
   */
  public void verify(String method, String path, String epoch, String timestamp, String nonce,
      String signature, byte[] body) throws Refused {
    if (signature == null || signature.isBlank()) {
      throw new Refused("the call is not signed (no " + SignedCall.SIGNATURE_HEADER + " header): only the"
          + " leading master may call this agent's internal endpoints");
    }
    if (timestamp == null || nonce == null || nonce.isBlank() || nonce.length() > 128) {
      throw new Refused("the call lacks a valid " + SignedCall.TIMESTAMP_HEADER + " or " + SignedCall.NONCE_HEADER
          + " header");
    }
    long at;
    try {
      at = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      throw new Refused("bad " + SignedCall.TIMESTAMP_HEADER + " '" + shorten(timestamp) + "': expected milliseconds");
    }
    String expected = SignedCall.SCHEME + hmac.hex(SignedCall.canonical(method, path, epoch, at, nonce, body));
    if (!MessageDigest.isEqual(SignedCall.utf8(expected), SignedCall.utf8(signature.trim()))) {
      throw new Refused("bad signature: the call was not signed with this cluster's key (or was altered)");
    }
    long now = clock.millis();
    if (Math.abs(now - at) > windowMillis) {
      throw new Refused("the call was signed " + (now - at) + " ms away from this agent's clock, outside the "
          + windowMillis + " ms window: check the machines' clocks");
    }
    remember(nonce, at + windowMillis, now);
  }

  private synchronized void remember(String nonce, long expires, long now) throws Refused {
    if (seen.size() > MAX_NONCES / 2 || seen.size() % 1024 == 0) {
      for (Iterator<Long> it = seen.values().iterator(); it.hasNext();) {
        if (it.next() < now) {
          it.remove();
        }
      }
    }
    if (seen.containsKey(nonce)) {
      throw new Refused("replayed call: nonce " + nonce + " was used before");
    }
    if (seen.size() >= MAX_NONCES) {
      throw new Refused("too many signed calls within the window; try again shortly");
    }
    seen.put(nonce, expires);
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
