package io.trellis.security.signing;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with the cluster key. */
final class Hmac {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;

  Hmac(ClusterKey key) {
    this.key = new SecretKeySpec(key.secret(), ALGORITHM);
  }

  String hex(String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(SignedCall.utf8(text)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("cannot compute " + ALGORITHM + ": " + e.getMessage(), e);
    }
  }
}
