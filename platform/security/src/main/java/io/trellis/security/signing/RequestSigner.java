package io.trellis.security.signing;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;

/** Signs a master's calls to agents with the cluster key (see {@link SignedCall}). */
public final class RequestSigner {
  private final Hmac hmac;
  private final InstantSource clock;
  private final SecureRandom random = new SecureRandom();

  public RequestSigner(ClusterKey key, InstantSource clock) {
    this.hmac = new Hmac(key);
    this.clock = clock;
  }

  public RequestSigner(ClusterKey key) {
    this(key, InstantSource.system());
  }

  /** The headers that sign a call of {@code method} to {@code path} naming {@code epoch}, with {@code body}. */
  public SignedCall.Headers sign(String method, String path, String epoch, byte[] body) {
    long now = clock.millis();
    byte[] n = new byte[16];
    random.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    String signature = SignedCall.SCHEME + hmac.hex(SignedCall.canonical(method, path, epoch, now, nonce, body));
    return new SignedCall.Headers(Long.toString(now), nonce, signature);
  }
}
