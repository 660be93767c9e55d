package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Algebraic laws of {@link Resources} on a few thousand seeded random bags, plus a comparison
 * with a plain map model (scalars as thousandths, ports as {@link BitSet}s) keyed by name and role.
 */
class ResourcesPropertyTest {
  private static final int RUNS = 3000;

  private final RandomResources gen = new RandomResources(20_240_917L);

  /** name(role) to thousandths or to port bits; absent means none. */
  private static Map<String, Object> model(Resources r) {
    Map<String, Object> m = new TreeMap<>();
    for (Resource e : r.entries()) {
      String key = e.name() + "(" + e.role() + ")";
      m.merge(key, e.isScalar() ? (Object) e.millis() : RandomResources.bits(e.ranges()), (x, y) -> {
        throw new AssertionError("two entries for " + key + " in " + r);
      });
    }
    return m;
  }

  private static Map<String, Object> modelPlus(Map<String, Object> a, Map<String, Object> b) {
    Map<String, Object> m = new TreeMap<>(a);
    b.forEach((k, v) -> m.merge(k, v, (x, y) -> {
      if (x instanceof Long lx) {
        return lx + (Long) y;
      }
      BitSet bits = (BitSet) ((BitSet) x).clone();
      bits.or((BitSet) y);
      return bits;
    }));
    return m;
  }

  private static boolean modelContains(Map<String, Object> a, Map<String, Object> b) {
    for (Map.Entry<String, Object> e : b.entrySet()) {
      Object have = a.get(e.getKey());
      if (have == null) {
        return false;
      }
      if (have instanceof Long l ? l < (Long) e.getValue() : !isSubset((BitSet) e.getValue(), (BitSet) have)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSubset(BitSet part, BitSet whole) {
    BitSet outside = (BitSet) part.clone();
    outside.andNot(whole);
    return outside.isEmpty();
  }

  @Test
  void plusMatchesTheModel() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.resources();

      assertEquals(modelPlus(model(a), model(b)), model(a.plus(b)), () -> a + " plus " + b);
    }
  }

  @Test
  void containsMatchesTheModel() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = run % 2 == 0 ? gen.resources() : gen.partOf(a).plus(gen.partOf(gen.resources()));

      assertEquals(modelContains(model(a), model(b)), a.contains(b), () -> a + " contains " + b);
    }
  }

  @Test
  void minusIsAllowedExactlyWhenTheSubtrahendIsContained() {
    int allowed = 0;
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = run % 2 == 0 ? gen.partOf(a) : gen.resources();
      if (a.contains(b)) {
        allowed++;
        Resources rest = a.minus(b);
        assertTrue(a.contains(rest), () -> a + " minus " + b);
        assertEquals(a, rest.plus(b), () -> a + " minus " + b);
      } else {
        assertThrows(InvalidResourceException.class, () -> a.minus(b), () -> a + " minus " + b);
      }
    }
    assertTrue(allowed > RUNS / 3 && allowed < RUNS, "both branches should be exercised, allowed " + allowed);
  }

  @Test
  void plusThenMinusGivesBackTheOriginal() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = RandomResources.withoutPortsOf(gen.resources(), a);

      assertEquals(a, a.plus(b).minus(b), () -> a + " plus and minus " + b);
    }
  }

  @Test
  void plusThenMinusOfOverlappingPortsLosesOnlyTheSharedPorts() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.resources();
      Resources expected = RandomResources.withoutPortsOf(a, b);

      assertEquals(expected, a.plus(b).minus(b), () -> a + " plus and minus " + b);
      assertEquals(a.plus(b), a.plus(b).minus(b).plus(b));
    }
  }

  @Test
  void sumContainsBothOperands() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.resources();
      Resources sum = a.plus(b);

      assertTrue(sum.contains(a) && sum.contains(b), () -> a + " plus " + b);
    }
  }

  @Test
  void plusIsCommutativeAndAssociativeWithEmptyAsIdentity() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.resources();
      Resources c = gen.resources();

      assertEquals(a.plus(b), b.plus(a), () -> a + " plus " + b);
      assertEquals(a.plus(b).plus(c), a.plus(b.plus(c)), () -> a + " plus " + b + " plus " + c);
      assertEquals(a, a.plus(Resources.empty()));
      assertEquals(a.plus(b).hashCode(), b.plus(a).hashCode());
    }
  }

  @Test
  void containsIsReflexiveAntisymmetricAndTransitive() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.partOf(a);
      Resources c = gen.partOf(b);
      Resources other = gen.resources();

      assertTrue(a.contains(a));
      assertTrue(a.contains(Resources.empty()));
      assertTrue(a.contains(b) && b.contains(c), () -> a + " / " + b + " / " + c);
      assertTrue(a.contains(c), () -> a + " should contain " + c);
      assertEquals(a.equals(other), a.contains(other) && other.contains(a), () -> a + " vs " + other);
      assertEquals(a.equals(b), b.contains(a), () -> a + " vs its part " + b);
    }
  }

  @Test
  void totalsAreAdditive() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources b = gen.resources();
      Resources sum = a.plus(b);

      for (String name : RandomResources.SCALAR_NAMES) {
        assertEquals(a.millis(name) + b.millis(name), sum.millis(name), name);
      }
      assertEquals(a.ranges(Resources.PORTS).plus(b.ranges(Resources.PORTS)), sum.ranges(Resources.PORTS));
    }
  }

  @Test
  void reservationViewsPartitionTheBag() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources byRole = a.unreserved();
      for (String role : a.reservationRoles()) {
        byRole = byRole.plus(a.reservedTo(role));
        assertTrue(a.reservedTo(role).entries().stream().allMatch(e -> e.role().equals(role)));
      }

      assertEquals(a, byRole, a::toString);
      assertEquals(a, a.unreserved().plus(a.reserved()));
      assertFalse(a.unreserved().entries().stream().anyMatch(Resource::isReserved));
      assertEquals(a.unreserved(), a.reservedTo("*"));
    }
  }

  @Test
  void flattenKeepsTotalsAndDropsEveryRole() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources flat = a.flatten();

      assertTrue(flat.reservationRoles().isEmpty(), flat::toString);
      assertEquals(a.names(), flat.names());
      for (String name : a.names()) {
        assertEquals(a.millis(name), flat.millis(name), name);
        assertEquals(a.ranges(name), flat.ranges(name), name);
      }
      assertEquals(flat, flat.flatten());
    }
  }

  @Test
  void printedFormParsesBackToAnEqualValue() {
    for (int run = 0; run < RUNS; run++) {
      Resources a = gen.resources();
      Resources parsed = Resources.parse(a.toString());

      assertEquals(a, parsed, a::toString);
      assertEquals(a.toString(), parsed.toString());
      assertEquals(a.hashCode(), parsed.hashCode());
    }
  }
}
