package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The algebra and views of {@link Resources}. */
class ResourcesTest {
  private static Resources r(String text) {
    return Resources.parse(text);
  }

  @Test
  void scalarsAreExactInThousandths() {
    Resources sum = Resources.scalar("cpus", 0.1).plus(Resources.scalar("cpus", 0.2));

    assertEquals(Resources.scalar("cpus", 0.3), sum);
    assertEquals(300, sum.millis("cpus"));
    assertEquals(0.3, sum.scalar("cpus"));
    assertEquals("cpus:0.3", sum.toString());
    assertEquals(Resources.scalar("cpus", 0.2), Resources.scalar("cpus", 0.3).minus(Resources.scalar("cpus", 0.1)));
  }

  @Test
  void tenTenthsMakeExactlyOne() {
    Resources sum = Resources.empty();
    for (int i = 0; i < 10; i++) {
      sum = sum.plus(r("cpus:0.1"));
    }

    assertEquals(r("cpus:1"), sum);
    for (int i = 0; i < 10; i++) {
      sum = sum.minus(r("cpus:0.1"));
    }
    assertEquals(Resources.empty(), sum);
  }

  @Test
  void plusAddsScalarsAndMergesRangesPerNameAndRole() {
    Resources sum = r("cpus:1;ports:[1-2];disk(spark):5").plus(r("cpus:2.5;mem:64;ports:[3-4, 9-9];disk:1"));

    assertEquals(r("cpus:3.5;mem:64;ports:[1-4, 9-9];disk(spark):5;disk:1"), sum);
    assertEquals("cpus:3.5;disk:1;disk(spark):5;mem:64;ports:[1-4, 9-9]", sum.toString());
  }

  @Test
  void plusWithEmptyReturnsTheOtherOperand() {
    Resources a = r("cpus:1;ports:[1-2]");

    assertSame(a, a.plus(Resources.empty()));
    assertSame(a, Resources.empty().plus(a));
  }

  @Test
  void plusRejectsANameUsedAsScalarAndAsRanges() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> r("ports:1").plus(r("ports:[1-2]")));

    assertTrue(e.getMessage().contains("ports"), e.getMessage());
  }

  @Test
  void minusLeavesTheRemainderAndDropsWhatReachesZero() {
    Resources a = r("cpus:4;mem:1024;ports:[1-10];disk(spark):100");

    assertEquals(r("cpus:2.5;ports:[1-3, 7-10];disk(spark):100"),
        a.minus(r("cpus:1.5;mem:1024;ports:[4-6]")));
    Resources none = a.minus(a);
    assertTrue(none.isEmpty());
    assertEquals(Resources.empty(), none);
    assertEquals(Set.of(), none.names());
  }

  @Test
  void minusOfEmptyIsIdentity() {
    Resources a = r("cpus:4");

    assertSame(a, a.minus(Resources.empty()));
  }

  @Test
  void minusThrowsWhenTheSubtrahendIsNotContained() {
    Resources a = r("cpus:1;ports:[1-5]");

    InvalidResourceException tooMuch = assertThrows(InvalidResourceException.class, () -> a.minus(r("cpus:1.001")));
    assertTrue(tooMuch.getMessage().contains("cpus:1.001") && tooMuch.getMessage().contains("cpus:1;ports:[1-5]"),
        tooMuch.getMessage());
    assertThrows(InvalidResourceException.class, () -> a.minus(r("ports:[5-6]")));
    assertThrows(InvalidResourceException.class, () -> a.minus(r("mem:1")));
    assertThrows(InvalidResourceException.class, () -> Resources.empty().minus(r("cpus:0.001")));
  }

  @Test
  void reservedAndUnreservedAmountsDoNotSatisfyEachOther() {
    Resources unreserved = r("cpus:8;ports:[1-100]");
    Resources reserved = r("cpus(spark):8;ports(spark):[1-100]");

    assertFalse(unreserved.contains(r("cpus(spark):1")));
    assertFalse(unreserved.contains(r("ports(spark):[1-1]")));
    assertFalse(reserved.contains(r("cpus:1")));
    assertFalse(reserved.contains(r("cpus(analytics/spark):1")));
    assertFalse(r("cpus(analytics):4").contains(r("cpus(analytics/spark):1")));
    assertThrows(InvalidResourceException.class, () -> unreserved.minus(r("cpus(spark):1")));
  }

  @Test
  void containsComparesAmountsAndRangesPerNameAndRole() {
    Resources a = r("cpus:2;mem:512;ports:[1-5, 10-20];gpus(ml):1");

    assertTrue(a.contains(Resources.empty()));
    assertTrue(a.contains(a));
    assertTrue(a.contains(r("cpus:2;ports:[2-4, 12-12]")));
    assertTrue(a.contains(r("gpus(ml):0.5;mem:0.001")));
    assertFalse(a.contains(r("cpus:2.001")));
    assertFalse(a.contains(r("ports:[5-10]")));
    assertFalse(a.contains(r("disk:1")));
    assertFalse(Resources.empty().contains(r("cpus:0.001")));
  }

  @Test
  void containsIsFalseWhenTheKindsDiffer() {
    assertFalse(r("ports:5").contains(r("ports:[1-1]")));
    assertFalse(r("ports:[1-5]").contains(r("ports:1")));
  }

  @Test
  void viewsSelectByReservation() {
    Resources a = r("cpus:1;cpus(spark):2;cpus(analytics/spark):3;ports(spark):[1-2];mem:64");

    assertEquals(r("cpus:1;mem:64"), a.unreserved());
    assertEquals(r("cpus(spark):2;cpus(analytics/spark):3;ports(spark):[1-2]"), a.reserved());
    assertEquals(r("cpus(spark):2;ports(spark):[1-2]"), a.reservedTo("spark"));
    assertEquals(r("cpus(analytics/spark):3"), a.reservedTo("analytics/spark"));
    assertEquals(Resources.empty(), a.reservedTo("analytics"));
    assertEquals(a.unreserved(), a.reservedTo("*"));
    assertEquals(a, a.unreserved().plus(a.reserved()));
    assertEquals(r("cpus:1;cpus(spark):2;cpus(analytics/spark):3;mem:64"), a.scalars());
  }

  @Test
  void flattenDropsReservationsAndSumsAmounts() {
    Resources a = r("cpus:1;cpus(spark):2;cpus(analytics/spark):0.5;ports(spark):[1-2];ports:[3-4, 8-9]");

    Resources flat = a.flatten();
    assertEquals(r("cpus:3.5;ports:[1-4, 8-9]"), flat);
    assertEquals(Set.of(), flat.reservationRoles());
    assertEquals(flat, flat.flatten());
  }

  @Test
  void totalsAddUpAcrossRoles() {
    Resources a = r("cpus:1;cpus(spark):2.25;ports(spark):[1-2];ports:[3-4, 8-9]");

    assertEquals(3250, a.millis("cpus"));
    assertEquals(3.25, a.scalar("cpus"));
    assertEquals(Ranges.ofPairs(1, 4, 8, 9), a.ranges("ports"));
    assertEquals(0, a.millis("mem"));
    assertEquals(0, a.millis("ports"));
    assertEquals(Ranges.empty(), a.ranges("cpus"));
    assertEquals(Ranges.empty(), a.ranges("nothing"));
  }

  @Test
  void namesAndReservationRolesAreSortedAndDistinct() {
    Resources a = r("ports(b):[1-1];mem(a):1;cpus:1;cpus(b):1;cpus(a):1");

    assertEquals(List.of("cpus", "mem", "ports"), List.copyOf(a.names()));
    assertEquals(List.of("a", "b"), List.copyOf(a.reservationRoles()));
  }

  @Test
  void entriesCannotBeModified() {
    List<Resource> entries = r("cpus:1").entries();

    assertThrows(UnsupportedOperationException.class, () -> entries.add(Resource.scalar("mem", "*", 1)));
  }

  @Test
  void ofAcceptsEntriesInAnyOrderAndDropsEmptyOnes() {
    Resources built = Resources.of(List.of(
        Resource.ranges("ports", "*", Ranges.of(5, 6)),
        Resource.scalar("mem", "*", 0),
        Resource.scalar("cpus", "spark", 1),
        Resource.ranges("ports", "*", Ranges.empty()),
        Resource.scalar("cpus", "*", 0.5),
        Resource.scalar("cpus", "spark", 1)));

    assertEquals(r("cpus:0.5;cpus(spark):2;ports:[5-6]"), built);
    assertTrue(Resources.scalar("cpus", 0).isEmpty());
    assertTrue(Resources.of(List.of()).isEmpty());
  }

  @Test
  void fromMillisEqualsTheParsedForm() {
    String[] names = {"cpus", "mem", "disk"};
    long[] flat = {7, 7, 500, 0, 2_048_000, 7};

    Resources built = Resources.fromMillis(names, flat, 2, 3, "ports", Ranges.of(1, 3));

    assertEquals(r("cpus:0.5;disk:2048;ports:[1-3]"), built);
    assertEquals(built.hashCode(), r("cpus:0.5;disk:2048;ports:[1-3]").hashCode());
    assertEquals(r("cpus:0.5;disk:2048"), Resources.fromMillis(names, flat, 2, 3, "ports", null));
    assertEquals(r("cpus:0.5;disk:2048"), Resources.fromMillis(names, flat, 2, 3, "ports", Ranges.empty()));
  }

  @Test
  void equalityIgnoresHowTheValueWasBuilt() {
    Resources parsed = r("mem:1;cpus:1.5;ports:[3-4];ports:[1-2]");
    Resources summed = Resources.scalar("cpus", 1).plus(Resources.scalar("cpus", 0.5))
        .plus(Resources.scalar("mem", 1))
        .plus(Resources.of(List.of(Resource.ranges("ports", "*", Ranges.of(1, 4)))));

    assertEquals(parsed, summed);
    assertEquals(parsed.hashCode(), summed.hashCode());
    assertNotEquals(parsed, r("mem:1;cpus:1.5;ports:[1-3]"));
    assertNotEquals(r("cpus:1"), r("cpus(spark):1"));
    assertNotEquals(r("cpus:1"), "cpus:1");
  }
}
