package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.testkit.LocalJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code trellis local} next to another one: a port or the data directory taken is said at once,
 * with what to do, a non-zero exit and no stack trace; {@code --fresh} empties only a local
 * cluster's directory.
 */
class LocalCommandTest {
  /** The clash used to take 31 s (ZooKeeper's start timeout): this only detects a hang. */
  private static final Duration PROMPT = Duration.ofSeconds(20);

  private static void assertRefusedCleanly(LocalJvm second, String... expected) throws Exception {
    int status = second.exitStatus(PROMPT);
    String out = second.output();
    assertNotEquals(0, status, out);
    for (String e : expected) {
      assertTrue(out.contains(e), "'" + e + "' in:\n" + out);
    }
    assertFalse(out.contains("\tat ") || out.contains("Exception"), "no stack trace:\n" + out);
  }

  @Test
  void aSecondLocalClusterSaysWhichPortOrDirectoryIsTakenAndWhatToDo() throws Exception {
    Path root = Files.createTempDirectory("trellis-local-test-");
    try (LocalJvm first = LocalJvm.onFreePorts(root.resolve("first")).start()) {
      first.awaitUp(Duration.ofSeconds(90));
      try (LocalJvm samePorts = LocalJvm.onPortsOf(first, root.resolve("second")).start()) {
        assertRefusedCleanly(samePorts, "port " + first.zkPort + " on 127.0.0.1 for the ZooKeeper (--zk-port)"
            + " is already in use", "Is another trellis local running?");
      }
      try (LocalJvm sameDir = LocalJvm.onFreePorts(root.resolve("first")).start()) {
        assertRefusedCleanly(sameDir, "the data directory " + root.resolve("first") + " is in use by another trellis local");
      }
    } finally {
      LocalJvm.deleteTree(root);
    }
  }

  @Test
  void freshRefusesToEmptyADirectoryThatIsNotALocalClusters() throws Exception {
    Path root = Files.createTempDirectory("trellis-local-fresh-");
    Path dir = Files.createDirectories(root.resolve("documents"));
    Files.writeString(dir.resolve("thesis.tex"), "precious");
    try (LocalJvm local = LocalJvm.onFreePorts(dir).start("--fresh")) {
      assertRefusedCleanly(local, "--fresh empties only a directory trellis local made");
      assertEquals("precious", Files.readString(dir.resolve("thesis.tex")));
    } finally {
      LocalJvm.deleteTree(root);
    }
  }
}
