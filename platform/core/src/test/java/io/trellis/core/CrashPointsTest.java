package io.trellis.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CrashPointsTest {
  /** The child JVM: reaches "test.other" once and "test.point" five times, printing each hit on stdout. */
  public static void main(String[] args) {
    CrashPoints.reached("test.other");
    for (int i = 1; i <= 5; i++) {
      System.out.println("hit " + i);
      System.out.flush();
      CrashPoints.reached("test.point");
    }
    System.out.println("done");
  }

  @Test
  void haltsWithStatus137AtTheNthHitAfterSayingWhere() throws Exception {
    Child child = run("test.point@3");
    assertEquals(137, child.status, child.toString());
    assertEquals("hit 1\nhit 2\nhit 3\n", child.out, child.toString());
    assertEquals("crash point test.point reached\n", child.err, child.toString());
  }

  @Test
  void haltsAtTheFirstHitWithoutACount() throws Exception {
    Child child = run("test.point");
    assertEquals(137, child.status, child.toString());
    assertEquals("hit 1\n", child.out, child.toString());
  }

  @Test
  void otherPointsAndAnUnsetVariableDoNothing() throws Exception {
    assertEquals(0, run(null).status);
    Child other = run("test.elsewhere");
    assertEquals(0, other.status, other.toString());
    assertTrue(other.out.endsWith("done\n"), other.toString());
    assertEquals(0, run("test.point@6").status);
  }

  @Test
  void aMalformedValueStopsTheProcessSayingWhy() throws Exception {
    Child child = run("test.point@zero");
    assertEquals(2, child.status, child.toString());
    assertTrue(child.err.contains("TRELLIS_CRASH_POINT=test.point@zero: expected <name>[@<n>]"), child.toString());
    assertThrows(IllegalArgumentException.class, () -> CrashPoints.Armed.parse("@2"));
    assertThrows(IllegalArgumentException.class, () -> CrashPoints.Armed.parse("x@0"));
    assertEquals(new CrashPoints.Armed("a.b", 7), CrashPoints.Armed.parse("a.b@7"));
    assertNull(CrashPoints.Armed.parse(""));
  }

  @Test
  void unsetItCostsAConstantRead() {
    // This JVM runs without the variable (the build never sets it): a hundred million hits take
    // about as long as an empty loop. Printed, not asserted: timing belongs to benchmarks.
    long start = System.nanoTime();
    for (int i = 0; i < 100_000_000; i++) {
      CrashPoints.reached("test.point");
    }
    long nanos = System.nanoTime() - start;
    System.out.printf("CrashPoints.reached unset: %.3f ns a call%n", nanos / 1e8);
  }

  private record Child(int status, String out, String err) {}

  private static Child run(String armed) throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        CrashPointsTest.class.getName()));
    builder.environment().remove(CrashPoints.VARIABLE);
    if (armed != null) {
      builder.environment().put(CrashPoints.VARIABLE, armed);
    }
    Process process = builder.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child did not end");
    return new Child(process.exitValue(), out, err);
  }
}
