package io.trellis.security.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed TLS setup of {@code trellis local} in {@code <data dir>/security/}: a CA
 * ({@code ca.pem}, {@code ca-key.pem}) and a certificate signed by it for this machine's names
 * ({@code server.pem}, {@code server-key.pem}; usable by servers and, for mutual TLS, by agents
 * as clients). Kept between runs: a CA already there is reused, and the server certificate
 * is renewed only when it lacks a name or nears its end. Keys are PKCS#8 PEM, mode 0600.
 */
public final class SelfSignedSetup {
  public static final String CA = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String SERVER = "server.pem";
  public static final String SERVER_KEY = "server-key.pem";
  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration SERVER_VALIDITY = Duration.ofDays(825);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final String SIGNATURE = "SHA256withECDSA";

  private final Path dir;

  private SelfSignedSetup(Path dir) {
    this.dir = dir;
  }

  /**
   * Makes sure {@code securityDir} holds a CA and a server certificate naming {@code hosts}
   * (host names or IP addresses) besides localhost and 127.0.0.1.
   */
  public static SelfSignedSetup ensure(Path securityDir, Collection<String> hosts, Instant now) throws IOException {
    Files.createDirectories(securityDir);
    SelfSignedSetup setup = new SelfSignedSetup(securityDir);
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    for (String h : hosts) {
      if (!names.contains(h)) {
        names.add(h);
      }
    }
    try {
      setup.create(names, now);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot generate the TLS certificates in " + securityDir + ": " + e.getMessage(), e);
    }
    return setup;
  }

  public Path ca() {
    return dir.resolve(CA);
  }

  public Path certificate() {
    return dir.resolve(SERVER);
  }

  public Path key() {
    return dir.resolve(SERVER_KEY);
  }

  /** The server side: this certificate, and this CA for client certificates. */
  public ServerTls server(ServerTls.ClientAuth clientAuth) {
    return new ServerTls(certificate(), key(), ca(), clientAuth);
  }

  private void create(List<String> names, Instant now) throws IOException, GeneralSecurityException, OperatorCreationException {
    boolean newCa = !Files.exists(ca()) || !Files.exists(dir.resolve(CA_KEY)) || expiring(Pem.certificates(ca()).get(0), now);
    KeyPair caKeys;
    X509Certificate caCert;
    if (newCa) {
      caKeys = keyPair();
      X500Name caName = new X500Name("CN=Trellis local CA " + now.getEpochSecond());
      X509v3CertificateBuilder b = builder(caName, caName, caKeys, now, CA_VALIDITY);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      caCert = sign(b, caKeys.getPrivate());
      write(dir.resolve(CA_KEY), Pem.encode(caKeys.getPrivate()), true);
      write(ca(), Pem.encode(caCert), false);
    } else {
      caCert = Pem.certificates(ca()).get(0);
      caKeys = new KeyPair(caCert.getPublicKey(), Pem.privateKey(dir.resolve(CA_KEY)));
    }
    if (!newCa && Files.exists(certificate()) && Files.exists(key()) && covers(Pem.certificates(certificate()).get(0), caCert, names, now)) {
      return;
    }
    KeyPair serverKeys = keyPair();
    X509v3CertificateBuilder b = builder(new X500Name(caCert.getSubjectX500Principal().getName()),
        new X500Name("CN=" + names.get(0)), serverKeys, now, SERVER_VALIDITY);
    List<GeneralName> alt = new ArrayList<>();
    for (String n : names) {
      alt.add(new GeneralName(isAddress(n) ? GeneralName.iPAddress : GeneralName.dNSName, n));
    }
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(new GeneralName[0])));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    b.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caCert));
    X509Certificate server = sign(b, caKeys.getPrivate());
    write(key(), Pem.encode(serverKeys.getPrivate()), true);
    write(certificate(), Pem.encode(server), false);
  }

  private static boolean expiring(X509Certificate cert, Instant now) {
    return cert.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE));
  }

  private static boolean covers(X509Certificate server, X509Certificate ca, List<String> names, Instant now) {
    try {
      server.verify(ca.getPublicKey());
      if (expiring(server, now) || server.getSubjectAlternativeNames() == null) {
        return false;
      }
      List<String> has = server.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))).toList();
      return has.containsAll(names);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, Instant now,
      Duration validity) throws GeneralSecurityException, IOException {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, new SecureRandom()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, keys.getPublic());
    b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    return b;
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey by)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNATURE).build(by)));
  }

  /** Writes through a temporary file, so a reader never sees half a file; keys readable by the owner only. */
  private static void write(Path file, String text, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // a file system without POSIX permissions: the directory's protection applies
      }
    }
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

}
