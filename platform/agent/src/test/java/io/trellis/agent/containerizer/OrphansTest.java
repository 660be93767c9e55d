package io.trellis.agent.containerizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Only processes working in a task sandbox of the agent's layout can be taken for orphans. */
class OrphansTest {
  private static final Path ROOT = Path.of("/tmp");

  @Test
  void onlyTaskSandboxesUnderTheWorkDirectoryCount() {
    assertTrue(Orphans.inSandbox(Path.of("/tmp/tasks/fw/t1/sandbox"), ROOT));
    assertTrue(Orphans.inSandbox(Path.of("/tmp/tasks/fw/t1/sandbox/sub"), ROOT));
    assertFalse(Orphans.inSandbox(Path.of("/tmp"), ROOT), "the work directory itself");
    assertFalse(Orphans.inSandbox(Path.of("/tmp/build"), ROOT), "anything else under a broad work directory");
    assertFalse(Orphans.inSandbox(Path.of("/tmp/tasks/fw/t1"), ROOT), "a task directory, not its sandbox");
    assertFalse(Orphans.inSandbox(Path.of("/tmp/tasks/fw/t1/other"), ROOT));
    assertFalse(Orphans.inSandbox(Path.of("/var/tasks/fw/t1/sandbox"), ROOT), "another work directory");
    assertFalse(Orphans.inSandbox(null, ROOT), "a process whose directory cannot be read");
  }
}
