package io.trellis.bench.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker reports every broken rule, naming the agent, port, app or count, and passes good placements. */
class PlacementCheckerTest {
  private static final Shape HOST = Shape.host(8, 32 * 1024, 31000, 32000);
  private static final long CPU = 1000;
  private static final long GIB2 = 2048 * 1000;

  private final PlacementChecker unique = new PlacementChecker(HOST, 3, true);

  /** Agent 0 full (8 tasks of 8 apps), agent 1 with two tasks, each app once per agent. */
  private static Placements good() {
    Placements p = new Placements(16);
    for (int t = 0; t < 8; t++) {
      p.add(t, t, 0, 0, CPU, GIB2, 31000 + t);
    }
    p.add(8, 0, 0, 1, CPU, GIB2, 31000);
    p.add(9, 1, 0, 1, CPU, GIB2, 31001);
    return p;
  }

  @Test
  void goodPlacementsPass() {
    assertEquals(List.of(), unique.check(good(), 10));
  }

  @Test
  void anAgentOverCommittedOnCpusIsReported() {
    Placements p = good();
    p.add(10, 9, 1, 0, CPU, GIB2, 31008);
    List<String> v = unique.check(p, 11);
    assertEquals(List.of("agent 0 is over-committed on cpus: 9 placed on 8"), v);
  }

  @Test
  void anAgentOverCommittedOnMemoryIsReported() {
    Placements p = new Placements(2);
    p.add(0, 0, 0, 2, CPU, 20 * 1024 * 1000, 31000);
    p.add(1, 1, 0, 2, CPU, 20 * 1024 * 1000, 31001);
    assertEquals(List.of("agent 2 is over-committed on mem: 40960 MB placed on 32768 MB"), unique.check(p, 2));
  }

  @Test
  void aPortGivenTwiceOnOneAgentIsReported() {
    Placements p = good();
    p.add(10, 9, 0, 1, CPU, GIB2, 31001);
    assertEquals(List.of("port 31001 on agent 1 was given to two tasks"), unique.check(p, 11));
  }

  @Test
  void theSamePortOnTwoAgentsIsFine() {
    Placements p = good();
    p.add(10, 9, 0, 2, CPU, GIB2, 31000);
    assertEquals(List.of(), unique.check(p, 11));
  }

  @Test
  void aPortOutsideTheAgentsRangeIsReported() {
    Placements p = good();
    p.add(10, 9, 0, 2, CPU, GIB2, 32001);
    assertEquals(List.of("task 10 on agent 2 was given port 32001, outside the agent's ports [31000-32000]"),
        unique.check(p, 11));
  }

  @Test
  void twoInstancesOfAnAppOnOneAgentBreakTheUniqueHostConstraint() {
    Placements p = good();
    p.add(10, 0, 0, 1, CPU, GIB2, 31002);
    assertEquals(List.of("app 0 has two instances on agent 1 (constraint hostname:UNIQUE)"), unique.check(p, 11));
    // Without the constraint the same placements are fine.
    assertEquals(List.of(), new PlacementChecker(HOST, 3, false).check(p, 11));
  }

  @Test
  void aTaskPlacedTwiceIsReported() {
    Placements p = good();
    p.add(9, 1, 0, 2, CPU, GIB2, 31000);
    assertEquals(List.of("task 9 was placed twice", "11 tasks placed, 10 asked"), unique.check(p, 10));
  }

  @Test
  void fewerPlacementsThanAskedAreReported() {
    assertEquals(List.of("10 tasks placed, 12 asked"), unique.check(good(), 12));
  }

  @Test
  void aPlacementOnAnUnknownAgentIsReported() {
    Placements p = good();
    p.add(10, 9, 0, 3, CPU, GIB2, 31000);
    assertEquals(List.of("task 10 was placed on agent 3, which does not exist (3 agents)"), unique.check(p, 11));
  }

  @Test
  void manyViolationsAreCountedBeyondTheFirstTwenty() {
    Placements p = new Placements(64);
    for (int t = 0; t < 30; t++) {
      p.add(t, 0, 0, 0, 0, 0, 31000);
    }
    List<String> v = unique.check(p, 30);
    assertEquals(PlacementChecker.MAX_REPORTED + 1, v.size());
    assertTrue(v.get(v.size() - 1).matches("\\d+ more violations"), v.toString());
  }
}
