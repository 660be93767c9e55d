package io.trellis.bench.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Options are read as documented; a bad one is named in the message. */
class PlacementOptionsTest {
  @Test
  void optionsAreReadAsDocumented() {
    PlacementOptions o = PlacementOptions.parse(new String[] {"--hosts=1000,10000", "--grid=10x10",
        "--constraints=unique", "--offers=hold,decline", "--window=10000:3", "--reps=3"});
    assertArrayEquals(new int[] {1000, 10000}, o.hosts());
    assertArrayEquals(new int[] {10, 10}, o.grid().get(0));
    assertEquals(List.of(true), o.uniqueHost());
    assertEquals(List.of(Workload.OfferUse.HOLD, Workload.OfferUse.DECLINE), o.offers());
    assertEquals(Map.of(10000, 3), o.windows());
    assertEquals(3, o.reps());
  }

  @Test
  void badValuesAreNamed() {
    for (String[] bad : new String[][] {{"--hosts=ten", "--hosts"}, {"--grid=10", "--grid"},
        {"--constraints=spread", "--constraints"}, {"--offers=keep", "--offers"}, {"--reps=0", "--reps"},
        {"--window=10000", "--window"}, {"--colour=red", "--colour"}, {"reps", "reps"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PlacementOptions.parse(new String[] {bad[0]}));
      assertEquals(true, e.getMessage().contains(bad[1]), e.getMessage());
    }
  }
}
