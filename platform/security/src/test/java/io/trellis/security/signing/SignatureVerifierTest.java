package io.trellis.security.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures over method, path, epoch, time, nonce and body; a window; nonces used once. */
class SignatureVerifierTest {
  private final ClusterKey key = ClusterKey.random();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final InstantSource clock = () -> now.get();
  private final RequestSigner signer = new RequestSigner(key, clock);
  private final SignatureVerifier verifier = new SignatureVerifier(key, clock, Duration.ofSeconds(30));
  private final byte[] body = "{\"task\":1}".getBytes(StandardCharsets.UTF_8);

  private void verify(SignedCall.Headers h, String method, String path, String epoch, byte[] b)
      throws SignatureVerifier.Refused {
    verifier.verify(method, path, epoch, h.timestamp(), h.nonce(), h.signature(), b);
  }

  private String refusal(SignedCall.Headers h, String method, String path, String epoch, byte[] b) {
    return assertThrows(SignatureVerifier.Refused.class, () -> verify(h, method, path, epoch, b)).getMessage();
  }

  @Test
  void aSignedCallIsTakenOnceAndEveryAlteredPartIsRefused() throws Exception {
    SignedCall.Headers h = signer.sign("POST", "/internal/tasks/launch", "3", body);
    assertTrue(refusal(h, "POST", "/internal/tasks/kill", "3", body).contains("bad signature"));
    assertTrue(refusal(h, "PUT", "/internal/tasks/launch", "3", body).contains("bad signature"));
    assertTrue(refusal(h, "POST", "/internal/tasks/launch", "4", body).contains("bad signature"));
    assertTrue(refusal(h, "POST", "/internal/tasks/launch", "3", new byte[0]).contains("bad signature"));
    verify(h, "POST", "/internal/tasks/launch", "3", body);
    assertTrue(refusal(h, "POST", "/internal/tasks/launch", "3", body).contains("replayed"));
  }

  @Test
  void callsOutsideTheWindowAreRefusedAndOldNoncesAreForgotten() throws Exception {
    SignedCall.Headers h = signer.sign("POST", "/p", "1", body);
    now.set(now.get().plusSeconds(31));
    assertTrue(refusal(h, "POST", "/p", "1", body).contains("window"));
    for (int i = 0; i < 3000; i++) {
      verify(signer.sign("POST", "/p", "1", body), "POST", "/p", "1", body);
      now.set(now.get().plusMillis(100));
    }
  }

  @Test
  void anotherKeysSignatureAndAMissingOneAreRefused() {
    SignedCall.Headers other = new RequestSigner(ClusterKey.random(), clock).sign("POST", "/p", "1", body);
    assertTrue(refusal(other, "POST", "/p", "1", body).contains("bad signature"));
    SignedCall.Headers none = new SignedCall.Headers("1", "n", null);
    assertTrue(refusal(none, "POST", "/p", "1", body).contains("not signed"));
  }

  @Test
  void aKeyFileIsWrittenForItsOwnerAloneAndRefusedWhenOthersMayReadIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("security").resolve(ClusterKey.FILE);
    ClusterKey created = ClusterKey.readOrCreate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(created, ClusterKey.readOrCreate(file), "the second start reads the same key");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterKey.read(file)).getMessage()
        .contains("chmod 600"));
    Files.writeString(file, "abcd");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ClusterKey.read(file)).getMessage()
        .contains("at least 32"));
    assertEquals("ClusterKey[32 bytes]", created.toString(), "never the secret");
  }
}
