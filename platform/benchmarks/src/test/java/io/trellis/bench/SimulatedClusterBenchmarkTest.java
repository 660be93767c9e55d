package io.trellis.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The simulated cluster benchmark on a small cluster: a master in its own process, simulated
 * agents and frameworks here; two rounds (fill, tear down, fill again) and the kill of the last
 * round. The run fails by itself if a count is short or an agent was marked unreachable; this
 * checks what it printed.
 */
class SimulatedClusterBenchmarkTest {
  @Test
  void twoRoundsFillTheClusterTearDownAndFillAgain() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      SimulatedClusterBenchmark.run(40, 200, 4, 2, true);
    } finally {
      System.setOut(out);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    out.print(text);
    assertTrue(text.contains("fill (round 1 of 2, the master's JVM still cold): 200 tasks RUNNING"), text);
    assertTrue(text.contains("teardown: every task of the round ended"), text);
    assertTrue(text.contains("fill (round 2 of 2, warm master): 200 tasks RUNNING"), text);
    assertTrue(text.contains("kill: 200 tasks KILLED"), text);
    assertTrue(text.contains("agents marked unreachable during the run: 0 (must be 0)"), text);
  }
}
