package io.trellis.security.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir
  Path dir;

  @Test
  void readsPkcs8AndPkcs1AndSec1Keys() throws Exception {
    for (String algorithm : List.of("RSA", "EC")) {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      g.initialize(algorithm.equals("RSA") ? 2048 : 256);
      KeyPair pair = g.generateKeyPair();
      Path pkcs8 = dir.resolve(algorithm + "-pkcs8.pem");
      Files.writeString(pkcs8, Pem.encode(pair.getPrivate()));
      assertArrayEquals(pair.getPrivate().getEncoded(), Pem.privateKey(pkcs8).getEncoded());
      // The traditional OpenSSL forms ("RSA PRIVATE KEY", "EC PRIVATE KEY" with its curve, as openssl writes it).
      StringWriter traditional = new StringWriter();
      if (algorithm.equals("RSA")) {
        try (JcaPEMWriter w = new JcaPEMWriter(traditional)) {
          w.writeObject(pair);
        }
      } else {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(256, ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS(),
            SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData(),
            info.getPrivateKeyAlgorithm().getParameters());
        traditional.write("-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(sec1.getEncoded())
            + "\n-----END EC PRIVATE KEY-----\n");
      }
      assertTrue(traditional.toString().contains("BEGIN " + algorithm + " PRIVATE KEY"), traditional.toString());
      Path legacy = dir.resolve(algorithm + "-legacy.pem");
      Files.writeString(legacy, traditional.toString());
      PrivateKey read = Pem.privateKey(legacy);
      assertEquals(algorithm, read.getAlgorithm());
    }
  }

  @Test
  void badFilesAreRefusedNamingTheFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.certificates(missing));
    assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "x".repeat(300_000));
    e = assertThrows(IllegalArgumentException.class, () -> Pem.certificates(junk));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(junk));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    Path broken = dir.resolve("broken.pem");
    Files.writeString(broken, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
    e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey(broken));
    assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
  }

  @Test
  void aKeyThatDoesNotMatchItsCertificateIsRefused() throws Exception {
    SelfSignedSetup setup = SelfSignedSetup.ensure(dir.resolve("s"), List.of(), Instant.now());
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    Path rsa = dir.resolve("rsa.pem");
    Files.writeString(rsa, Pem.encode(g.generateKeyPair().getPrivate()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SslContexts.of(setup.certificate(), rsa, null));
    assertTrue(e.getMessage().contains(rsa.toString()), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> SslContexts.of(setup.certificate(), null, null));
    assertTrue(e.getMessage().contains("without its private key"), e.getMessage());
  }
}
