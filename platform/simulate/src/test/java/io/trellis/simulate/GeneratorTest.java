package io.trellis.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {
  static Generator generator(long seed) {
    return new Generator(seed, List.of("a", "b", "c"), 30, 5, 120, 0.2);
  }

  @Test
  void theSameSeedGivesTheSameTraceAndAnotherSeedAnother() {
    Trace one = generator(42).generate();
    assertEquals(one.groups(), generator(42).generate().groups());
    assertNotEquals(one.groups(), generator(43).generate().groups());
  }

  @Test
  void theTraceHasEveryRoleArrivalsWithinItsLengthAndSomeGangs() {
    Trace t = generator(7).generate();
    assertEquals(java.util.Set.of("a", "b", "c"),
        t.groups().stream().map(TaskGroup::role).collect(java.util.stream.Collectors.toSet()));
    assertTrue(t.groups().stream().allMatch(g -> g.submitMillis() < 30 * 60_000));
    long gangs = t.groups().stream().filter(g -> g.gang() > 0).count();
    long multi = t.groups().stream().filter(g -> g.count() > 1).count();
    assertTrue(gangs > 0 && gangs < multi, gangs + " gangs of " + multi + " groups of 2+");
    // About 5 groups a minute per role over 30 minutes.
    assertTrue(t.groups().size() > 300 && t.groups().size() < 600, "groups: " + t.groups().size());
  }

  @Test
  void absurdSettingsAreRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Generator(1, List.of("a"), 30, -1, 120, 0.2));
    assertTrue(e.getMessage().startsWith("--gen-rate must be from"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Generator(1, List.of("a"), 1e300, 1, 120, 0.2));
    assertTrue(e.getMessage().startsWith("--gen-minutes"), e.getMessage());
  }
}
