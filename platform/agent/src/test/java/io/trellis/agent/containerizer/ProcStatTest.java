package io.trellis.agent.containerizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void commandNamesWithSpacesAndParenthesesDoNotShiftFields() {
    String line = "4242 (a b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654"
        + " 2000000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0";

    ProcStat stat = ProcStat.parse(4242, line).orElseThrow();

    assertEquals(new ProcStat(4242, 'S', 4242, 987654), stat);
  }

  @Test
  void thisProcessIsRunningWithItsOwnStartTime() {
    long pid = ProcessHandle.current().pid();
    ProcStat stat = ProcStat.read(pid).orElseThrow();

    assertTrue(ProcStat.isRunning(pid, stat.startTime()));
    assertTrue(!ProcStat.isRunning(pid, stat.startTime() + 1));
  }
}
