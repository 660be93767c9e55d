package io.trellis.faults.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict table as the suite prints it and writes it for docs/reliability.md. */
class TableTest {
  private final List<Result.Row> rows = new Result("leader-kill")
      .check("another master leads", true, Duration.ofMillis(11_140), "master2 killed | master1 leads")
      .check("no task launched twice", false, "2 task ids launched\nmore than once")
      .rows();

  @Test
  void markdownHasOneRowPerVerdictWithPipesAndNewlinesEscaped() {
    List<String> lines = Table.markdown(rows).lines().toList();
    assertEquals("| scenario | invariant | verdict | time to recover | detail |", lines.get(0));
    assertEquals("| --- | --- | --- | --- | --- |", lines.get(1));
    assertEquals("| leader-kill | another master leads | held | 11.1 s | master2 killed \\| master1 leads |", lines.get(2));
    assertEquals("| leader-kill | no task launched twice | BROKEN | - | 2 task ids launched more than once |", lines.get(3));
    assertEquals(4, lines.size());
  }

  @Test
  void consoleAlignsColumnsAndCountsWhatBroke() {
    List<String> lines = Table.console(rows).lines().toList();
    int verdictColumn = lines.get(0).indexOf("verdict");
    assertEquals(verdictColumn, lines.get(1).indexOf("held"));
    assertEquals(verdictColumn, lines.get(2).indexOf("BROKEN"));
    assertEquals("2 verdicts, 1 BROKEN", lines.get(lines.size() - 1));
  }

  @Test
  void aResultHoldsOnlyWithVerdictsAllHeld() {
    assertTrue(new Result("x").check("a", true, "").allHeld());
    assertFalse(new Result("x").allHeld());
    assertFalse(Result.failed("x", new IllegalStateException("no master leads")).allHeld());
  }
}
