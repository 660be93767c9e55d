package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and printing the Mesos {@code --resources} text form. */
class ResourcesTextTest {

  @Test
  void parsesTheMesosExample() {
    Resources r = Resources.parse("cpus:4;mem:1024;disk(spark):100;ports:[31000-32000]");

    assertEquals(4.0, r.scalar(Resources.CPUS));
    assertEquals(1_024_000, r.millis(Resources.MEM));
    assertEquals(100_000, r.millis(Resources.DISK));
    assertEquals(Ranges.of(31000, 32000), r.ranges(Resources.PORTS));
    assertEquals(List.of(
        new Resource("cpus", "*", 4000, null),
        new Resource("disk", "spark", 100_000, null),
        new Resource("mem", "*", 1_024_000, null),
        new Resource("ports", "*", 0, Ranges.of(31000, 32000))), r.entries());
  }

  @Test
  void printsEntriesSortedByNameThenRoleWithUnreservedFirst() {
    Resources r = Resources.parse("ports:[31000-32000];mem:1024;disk(spark):100;cpus(spark):1;cpus:4");

    assertEquals("cpus:4;cpus(spark):1;disk(spark):100;mem:1024;ports:[31000-32000]", r.toString());
  }

  @Test
  void parsesAHierarchicalReservation() {
    Resources r = Resources.parse("cpus(analytics/spark):2");

    Resource only = r.entries().get(0);
    assertEquals("analytics/spark", only.role());
    assertTrue(only.isReserved());
    assertEquals(2000, only.millis());
    assertEquals("cpus(analytics/spark):2", r.toString());
  }

  @Test
  void parsesReservedRanges() {
    Resources r = Resources.parse("ports(spark):[1-5, 8-9]");

    assertEquals(Resources.of(List.of(Resource.ranges("ports", "spark", Ranges.ofPairs(1, 5, 8, 9)))), r);
    assertEquals("ports(spark):[1-5, 8-9]", r.toString());
  }

  @Test
  void treatsTheStarRoleAsUnreserved() {
    assertEquals(Resources.parse("cpus:2"), Resources.parse("cpus(*):2"));
    assertEquals("cpus:2", Resources.parse("cpus(*):2").toString());
  }

  @ParameterizedTest(name = "{0} is kept as {1} thousandths and printed as {2}")
  @CsvSource({
      "0.5,    500,  0.5",
      "1.25,   1250, 1.25",
      "0.001,  1,    0.001",
      "2.500,  2500, 2.5",
      "4.0,    4000, 4",
      "0.1234, 123,  0.123",
      "0.0005, 1,    0.001",
      "1.9996, 2000, 2",
      "1e3,    1000000, 1000",
  })
  void keepsScalarsToThreeDecimals(String text, long millis, String printed) {
    Resources r = Resources.parse("cpus:" + text);

    assertEquals(millis, r.millis("cpus"));
    assertEquals("cpus:" + printed, r.toString());
  }

  @Test
  void dropsAmountsThatRoundToZero() {
    assertTrue(Resources.parse("cpus:0").isEmpty());
    assertTrue(Resources.parse("cpus:0.0004").isEmpty());
    assertEquals("mem:1", Resources.parse("cpus:0;mem:1;ports:[]").toString());
  }

  @Test
  void sumsRepeatedEntries() {
    assertEquals("cpus:3.5", Resources.parse("cpus:1;cpus:2.5").toString());
    assertEquals("ports:[1-4, 9-9]", Resources.parse("ports:[1-2];ports:[9-9];ports:[3-4]").toString());
    assertEquals("cpus:1;cpus(spark):2", Resources.parse("cpus(spark):1;cpus:1;cpus(spark):1").toString());
  }

  @Test
  void toleratesWhitespaceAndEmptyItems() {
    assertEquals(Resources.parse("cpus:4;mem:1;disk(spark):2"),
        Resources.parse(" ; cpus : 4 ;;  mem:1 ; disk ( spark ) : 2 ; "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ";", " ; ; "})
  void parsesBlankTextAsEmpty(String text) {
    Resources r = Resources.parse(text);

    assertTrue(r.isEmpty());
    assertEquals(Resources.empty(), r);
    assertEquals("", r.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "cpus:4;mem:1024;disk(spark):100;ports:[31000-32000]",
      "cpus(analytics/spark):2.125;cpus:0.001",
      "gpus:1;ports(spark):[1-1, 3-3, 5-10];ports:[100-200]",
      "my_res.v-2:7.75",
      "cpus:12345678.999",
  })
  void printedFormParsesBackToAnEqualValue(String text) {
    Resources r = Resources.parse(text);
    Resources again = Resources.parse(r.toString());

    assertEquals(r, again);
    assertEquals(r.toString(), again.toString());
    assertEquals(r.hashCode(), again.hashCode());
  }

  @ParameterizedTest(name = "{0} is rejected naming {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "cpus                | 'cpus'",
      "cpus4;mem:1         | 'cpus4'",
      ":4                  | ':4'",
      "cpus:abc            | 'abc'",
      "cpus:4x             | '4x'",
      "cpus:               | for cpus",
      "cpus:-1             | -1",
      "mem:-0.5            | -0.5",
      "cpus:NaN            | NaN",
      "cpus:Infinity       | Infinity",
      "cpus:1e400          | Infinity",
      "cpus:1e17           | too large",
      "ports:[1-2          | [1-2",
      "ports:1-2]          | 1-2]",
      "ports:[5-3]         | 5-3",
      "ports:[-5-3]        | -5-3",
      "ports:{a,b}         | {a,b}",
      "cpus(spark:1        | cpus(spark",
      "cpus(spark)x:1      | cpus(spark)x",
      "cpus():1            | cpus()",
      "cpus(-spark):1      | -spark",
      "cpus(a//b):1        | a//b",
      "cpus(/a):1          | /a",
      "cpus(a/..):1        | a/..",
      "cpus(a/*):1         | a/*",
      "cpus(a b):1         | a b",
      "cp us:1             | cp us",
      "cpu$:1              | cpu$",
      "(spark):1           | (spark)",
      "cpus:1;cpus:[1-2]   | cpus",
  })
  void rejectsBadTextNamingTheBadToken(String text, String token) {
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> Resources.parse(text));

    assertTrue(e.getMessage().contains(token), () -> "message should name " + token + ": " + e.getMessage());
  }

  @Test
  void rejectsMissingText() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> Resources.parse(null));

    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void invalidResourceExceptionIsAnIllegalArgumentException() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Resources.parse("cpus:x"));

    assertEquals(InvalidResourceException.class, e.getClass());
  }

  @Test
  void aRejectedItemDoesNotDependOnItsPosition() {
    assertThrows(InvalidResourceException.class, () -> Resources.parse("cpus:1;mem:2;disk:oops"));
    assertThrows(InvalidResourceException.class, () -> Resources.parse("disk:oops;cpus:1;mem:2"));
    assertFalse(Resources.parse("cpus:1;mem:2;disk:3").isEmpty());
  }
}
