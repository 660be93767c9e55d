package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceLimitsTest {
  @Test
  void rangesRejectTheLargestLongSoSizesAndMergesStayExact() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> Ranges.parse("[0-9223372036854775807]"));
    assertTrue(e.getMessage().contains("9223372036854775807"), e.getMessage());
    assertThrows(InvalidResourceException.class, () -> Ranges.of(5, Long.MAX_VALUE));
    Ranges widest = Ranges.of(0, Ranges.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, widest.size());
    assertEquals(widest, widest.plus(Ranges.of(10, 20)));
    assertEquals(Ranges.of(0, 49), Ranges.of(0, 100).minus(Ranges.of(50, Ranges.MAX_VALUE)));
  }

  @Test
  void aNameCannotBeScalarUnderOneRoleAndRangesUnderAnother() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> Resources.parse("cpus:1;cpus(a):[1-2]"));
    assertTrue(e.getMessage().contains("cpus"), e.getMessage());
  }

  @Test
  void scalarOverflowIsAnInvalidResourceNamingTheValues() {
    Resources big = Resources.parse("cpus:9.2e15");
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> big.plus(big));
    assertTrue(e.getMessage().contains("cpus"), e.getMessage());
  }

  @Test
  void attributesThatCouldNotBeReadBackAreRejected() {
    assertThrows(InvalidResourceException.class, () -> new Attributes(Map.of("a:b", "v")));
    assertThrows(InvalidResourceException.class, () -> new Attributes(Map.of("a", "v;w")));
    assertThrows(InvalidResourceException.class, () -> new Attributes(Map.of(" a", "v")));
    Attributes ok = new Attributes(Map.of("rack", "r1:x"));
    assertEquals(ok, Attributes.parse(ok.toString()));
  }
}
