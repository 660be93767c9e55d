package io.trellis.security.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * PEM files: certificates (read with the JDK's {@link CertificateFactory}) and private keys.
 * A PKCS#8 key ({@code BEGIN PRIVATE KEY}) is read with the JDK alone; other forms (PKCS#1
 * {@code BEGIN RSA PRIVATE KEY}, SEC1 {@code BEGIN EC PRIVATE KEY}) through BouncyCastle, loaded
 * only then, so a client jar without BouncyCastle still reads the usual files.
 */
public final class Pem {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private Pem() {}

  /** Every certificate in a PEM bundle, in order; refuses a file holding none. */
  public static List<X509Certificate> certificates(Path file) {
    byte[] bytes = read(file, "certificate");
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      List<X509Certificate> certs = new ArrayList<>();
      for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certs.add((X509Certificate) c);
      }
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file + ": expected PEM blocks"
            + " '-----BEGIN CERTIFICATE-----'");
      }
      return List.copyOf(certs);
    } catch (CertificateException | IOException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e.getMessage()
          + "; expected PEM blocks '-----BEGIN CERTIFICATE-----'", e);
    }
  }

  /** The private key in a PEM file: PKCS#8, or PKCS#1 / SEC1 (unencrypted). */
  public static PrivateKey privateKey(Path file) {
    String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
    int begin = text.indexOf(PKCS8_BEGIN);
    if (begin < 0) {
      try {
        return BcKeys.privateKey(file, text);
      } catch (NoClassDefFoundError noBouncyCastle) {
        throw new IllegalArgumentException("private key file " + file + " is not PKCS#8 ('" + PKCS8_BEGIN + "'),"
            + " the only form this process reads: convert it with openssl pkcs8 -topk8 -nocrypt -in " + file);
      }
    }
    int end = text.indexOf(PKCS8_END, begin);
    if (end < 0) {
      throw new IllegalArgumentException("private key file " + file + " has no line " + PKCS8_END);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private key file " + file + " is not valid base64: " + e.getMessage(), e);
    }
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException("private key file " + file + " holds a PKCS#8 key of an algorithm"
        + " other than RSA, EC or EdDSA");
  }

  /** A certificate as PEM text. */
  public static String encode(X509Certificate certificate) {
    try {
      return block("CERTIFICATE", certificate.getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** A private key as PKCS#8 PEM text. */
  public static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(what + " file " + file + " does not exist", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalArgumentException(what + " file " + file + " is not readable by this user", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }
}
