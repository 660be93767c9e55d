package io.trellis.spark.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstraintsTest {
  @Test
  void valuesListedMustMatchAndBareNamesMustExist() {
    Constraints c = Constraints.parse("rack:r1,r2; ssd");
    assertTrue(c.accepts(Map.of("rack", "r2", "ssd", "true")));
    assertFalse(c.accepts(Map.of("rack", "r3", "ssd", "true")), "rack r3 is not listed");
    assertFalse(c.accepts(Map.of("rack", "r1")), "ssd is missing");
    assertFalse(c.accepts(null));
  }

  @Test
  void emptyAcceptsEveryAgent() {
    assertTrue(Constraints.parse("").accepts(Map.of()));
    assertTrue(Constraints.parse(null).accepts(null));
  }

  @Test
  void badTextIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Constraints.parse("rack:"));
    assertEquals("bad constraint 'rack:' in 'rack:': no value after ':'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Constraints.parse(":r1"));
  }
}
