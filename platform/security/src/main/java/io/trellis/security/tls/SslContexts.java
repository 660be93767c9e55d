package io.trellis.security.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts from PEM files: a certificate chain with its key, and the CAs to trust. */
public final class SslContexts {
  private static final char[] NO_PASSWORD = new char[0];

  private SslContexts() {}

  /**
   * A TLS context presenting {@code certificate} (a PEM chain, leaf first) with {@code key} when
   * both are given, and trusting the CAs in {@code trusted} (PEM bundle), or the JVM's default
   * CAs when it is null.
   */
  public static SSLContext of(Path certificate, Path key, Path trusted) {
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException(certificate == null
          ? "a private key (" + key + ") without its certificate: give both"
          : "a certificate (" + certificate + ") without its private key: give both");
    }
    try {
      KeyManager[] keys = certificate == null ? null : keyManagers(certificate, key);
      TrustManager[] trust = trusted == null ? null : trustManagers(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot build a TLS context from " + certificate + ", " + key
          + " and " + trusted + ": " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(Path certificate, Path key)
      throws GeneralSecurityException, java.io.IOException {
    List<X509Certificate> chain = Pem.certificates(certificate);
    PrivateKey privateKey = Pem.privateKey(key);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm())) {
      throw new IllegalArgumentException("the key in " + key + " (" + privateKey.getAlgorithm()
          + ") does not belong to the certificate in " + certificate + " (" + chain.get(0).getPublicKey().getAlgorithm() + ")");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("trellis", privateKey, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, NO_PASSWORD);
    return factory.getKeyManagers();
  }

  private static TrustManager[] trustManagers(Path trusted) throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (X509Certificate ca : Pem.certificates(trusted)) {
      store.setCertificateEntry("ca-" + i++, ca);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
