package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.role.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceTest {

  @Test
  void aScalarKeepsItsAmountInThousandths() {
    Resource cpus = Resource.scalar("cpus", Role.ANY, 1.5);

    assertTrue(cpus.isScalar());
    assertFalse(cpus.isReserved());
    assertEquals(1500, cpus.millis());
    assertEquals(1.5, cpus.amount());
    assertEquals("cpus:1.5", cpus.toString());
  }

  @Test
  void aReservedRangeResourcePrintsItsRole() {
    Resource ports = Resource.ranges("ports", "analytics/spark", Ranges.ofPairs(1, 2, 5, 5));

    assertFalse(ports.isScalar());
    assertTrue(ports.isReserved());
    assertEquals(0, ports.millis());
    assertEquals("ports(analytics/spark):[1-2, 5-5]", ports.toString());
  }

  @Test
  void scalarAmountsRoundToTheNearestThousandth() {
    assertEquals(123, Resource.scalar("cpus", "*", 0.1234).millis());
    assertEquals(124, Resource.scalar("cpus", "*", 0.1236).millis());
    assertEquals(0, Resource.scalar("cpus", "*", 0.0001).millis());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "cp us", "cpus(x)", "cpus:", "a;b", "mem/1"})
  void rejectsAnInvalidNameNamingIt(String name) {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> new Resource(name, Role.ANY, 1000, null));

    assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
  }

  @Test
  void rejectsAMissingName() {
    assertThrows(InvalidResourceException.class, () -> new Resource(null, Role.ANY, 1000, null));
  }

  @Test
  void rejectsAnInvalidRole() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Resource.scalar("cpus", "-spark", 1));

    assertTrue(e.getMessage().contains("-spark"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Resource.scalar("cpus", null, 1));
  }

  @Test
  void rejectsANegativeAmountNamingTheResource() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> new Resource("mem", Role.ANY, -500, null));

    assertTrue(e.getMessage().contains("mem") && e.getMessage().contains("-0.5"), e.getMessage());
  }

  @Test
  void rejectsNonFiniteAndNegativeDecimalAmounts() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.001, 1e17}) {
      InvalidResourceException e = assertThrows(InvalidResourceException.class,
          () -> Resource.scalar("gpus", Role.ANY, bad), () -> "amount " + bad);
      assertTrue(e.getMessage().contains("gpus"), e.getMessage());
    }
  }

  @Test
  void rejectsAResourceThatIsBothScalarAndRanges() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> new Resource("ports", Role.ANY, 1000, Ranges.of(1, 2)));

    assertTrue(e.getMessage().contains("ports"), e.getMessage());
  }
}
