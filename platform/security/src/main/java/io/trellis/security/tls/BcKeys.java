package io.trellis.security.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Private keys in PEM forms the JDK cannot read (PKCS#1, SEC1), through BouncyCastle. */
final class BcKeys {
  private BcKeys() {}

  static PrivateKey privateKey(Path file, String text) {
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o.getClass().getSimpleName().startsWith("PEMEncrypted")
            || o.getClass().getSimpleName().startsWith("PKCS8Encrypted")) {
          throw new IllegalArgumentException("private key file " + file + " is encrypted; give an unencrypted"
              + " key (openssl pkcs8 -topk8 -nocrypt -in key.pem) and protect it with file permissions (0600)");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read private key file " + file + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("no private key in " + file + ": expected a PEM block"
        + " '-----BEGIN PRIVATE KEY-----' (PKCS#8), 'RSA PRIVATE KEY' or 'EC PRIVATE KEY'");
  }
}
