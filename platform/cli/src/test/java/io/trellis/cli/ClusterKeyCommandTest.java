package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.security.signing.ClusterKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code trellis security cluster-key FILE}: the key an operator gives every master and agent. */
class ClusterKeyCommandTest {
  @TempDir
  Path dir;

  @Test
  void writesANewKeyOnlyItsOwnerReadsAndKeepsItAfterwards() throws Exception {
    Path file = dir.resolve("etc/cluster.key");

    Result made = run("security", "cluster-key", file.toString());

    assertEquals(0, made.code(), made.err());
    assertTrue(made.out().startsWith("made the cluster key " + file), made.out());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String hex = Files.readString(file).trim();
    assertTrue(hex.matches("[0-9a-f]{64}"), hex);
    ClusterKey.read(file);

    Result again = run("security", "cluster-key", file.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().startsWith("kept the existing cluster key " + file), again.out());
    assertEquals(hex, Files.readString(file).trim());
  }

  @Test
  void anExistingKeyOthersMayReadIsRefusedSayingWhatToDo() throws Exception {
    Path file = dir.resolve("cluster.key");
    Files.writeString(file, "00".repeat(32) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Result r = run("security", "cluster-key", file.toString());

    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("trellis security cluster-key: the cluster key file " + file
        + " is readable by others"), r.err());
    assertTrue(r.err().contains("chmod 600 " + file), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void aPathThatCannotBeWrittenIsRefused() {
    Path file = dir.resolve("a-file");
    Result r = run("security", "cluster-key", "/proc/self/no-such-dir/cluster.key");

    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("trellis security cluster-key: cannot write /proc/self/no-such-dir/cluster.key"),
        r.err());
    assertFalse(Files.exists(file));
  }

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = Trellis.withErrorMessages(new CommandLine(new Trellis())).execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private record Result(int code, String out, String err) {}
}
