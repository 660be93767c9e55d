package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangesTest {

  @Test
  void parsesASingleBracketedInterval() {
    Ranges ports = Ranges.parse("[31000-32000]");

    assertEquals(Ranges.of(31000, 32000), ports);
    assertEquals(1, ports.intervalCount());
    assertEquals(31000, ports.begin(0));
    assertEquals(32000, ports.end(0));
    assertEquals(1001, ports.size());
  }

  @Test
  void parsesSeveralIntervalsWithOrWithoutSpacesAndBrackets() {
    Ranges expected = Ranges.ofPairs(1, 5, 8, 8, 10, 12);

    assertEquals(expected, Ranges.parse("[1-5, 8-8, 10-12]"));
    assertEquals(expected, Ranges.parse("[1-5,8-8,10-12]"));
    assertEquals(expected, Ranges.parse("1-5, 8-8, 10-12"));
    assertEquals(expected, Ranges.parse("  [ 1 - 5 , 8 , 10-12 ]  "));
  }

  @Test
  void parsesASingleValueAsAOneElementInterval() {
    Ranges seven = Ranges.parse("[7]");

    assertEquals(Ranges.of(7, 7), seven);
    assertEquals(1, seven.size());
    assertEquals("[7-7]", seven.toString());
  }

  @Test
  void parsesIntervalsInAnyOrderIntoSortedMergedForm() {
    assertEquals("[1-8, 10-12]", Ranges.parse("[10-12, 4-8, 1-5]").toString());
  }

  @Test
  void parsesEmptyTextAsTheEmptySet() {
    assertEquals(Ranges.empty(), Ranges.parse("[]"));
    assertEquals(Ranges.empty(), Ranges.parse("[   ]"));
    assertEquals(Ranges.empty(), Ranges.parse(""));
    assertTrue(Ranges.empty().isEmpty());
    assertEquals(0, Ranges.empty().size());
    assertEquals(0, Ranges.empty().intervalCount());
    assertEquals("[]", Ranges.empty().toString());
  }

  @ParameterizedTest(name = "{0} is rejected naming {1}")
  @CsvSource(delimiter = '|', value = {
      "[1-2      | [1-2",
      "1-2]      | 1-2]",
      "[5-3]     | 5-3",
      "[-1-3]    | -1-3",
      "[-4]      | -4",
      "[a-b]     | a-b",
      "[1-]      | 1-",
      "[1-2-3]   | 1-2-3",
      "[1.5-3]   | 1.5-3",
      "[1-2, xy] | xy",
      "[[1-2]]   | [1-2",
      "{1-2}     | {1-2}",
  })
  void rejectsMalformedTextNamingTheBadPart(String text, String badPart) {
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> Ranges.parse(text));

    assertTrue(e.getMessage().contains(badPart), () -> "message should name '" + badPart + "': " + e.getMessage());
  }

  @Test
  void rejectsAnInvertedOrNegativeInterval() {
    InvalidResourceException inverted = assertThrows(InvalidResourceException.class, () -> Ranges.of(5, 3));
    assertTrue(inverted.getMessage().contains("5-3"), inverted.getMessage());
    assertThrows(InvalidResourceException.class, () -> Ranges.of(-1, 3));
    assertThrows(InvalidResourceException.class, () -> Ranges.ofPairs(1, 2, 9, 8));
  }

  @Test
  void rejectsAnOddNumberOfBounds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ranges.ofPairs(1, 2, 3));

    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
  }

  @Test
  void coalescesAdjacentIntervals() {
    assertEquals(Ranges.of(1, 4), Ranges.of(1, 2).plus(Ranges.of(3, 4)));
    assertEquals(Ranges.of(1, 4), Ranges.of(3, 4).plus(Ranges.of(1, 2)));
    assertEquals(Ranges.of(1, 4), Ranges.ofPairs(1, 2, 3, 4));
    assertEquals(Ranges.of(1, 4), Ranges.parse("[1-2, 3-4]"));
    assertEquals(Ranges.of(0, 5), Ranges.ofPairs(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5));
  }

  @Test
  void keepsIntervalsSeparatedByAGapApart() {
    Ranges r = Ranges.of(1, 2).plus(Ranges.of(4, 5));

    assertEquals(2, r.intervalCount());
    assertEquals("[1-2, 4-5]", r.toString());
    assertFalse(r.contains(3));
  }

  @Test
  void unionMergesOverlapsAndBridgesIntervals() {
    Ranges a = Ranges.ofPairs(1, 3, 10, 12, 20, 25);
    Ranges bridge = Ranges.of(4, 19);

    assertEquals(Ranges.of(1, 25), a.plus(bridge));
    assertEquals(Ranges.ofPairs(1, 12, 20, 25), a.plus(Ranges.of(2, 11)));
  }

  @Test
  void unionWithEmptyReturnsTheOtherOperand() {
    Ranges r = Ranges.of(1, 9);

    assertSame(r, r.plus(Ranges.empty()));
    assertSame(r, Ranges.empty().plus(r));
  }

  @Test
  void containsValuesAtTheBoundsButNotInGaps() {
    Ranges r = Ranges.ofPairs(10, 20, 30, 30);

    assertTrue(r.contains(10));
    assertTrue(r.contains(20));
    assertTrue(r.contains(30));
    assertFalse(r.contains(9));
    assertFalse(r.contains(21));
    assertFalse(r.contains(29));
    assertFalse(r.contains(31));
    assertFalse(Ranges.empty().contains(0));
  }

  @Test
  void containsSubsetsButNotRangesThatSpanAGap() {
    Ranges r = Ranges.ofPairs(1, 3, 5, 7);

    assertTrue(r.contains(Ranges.of(1, 3)));
    assertTrue(r.contains(Ranges.ofPairs(2, 2, 6, 7)));
    assertTrue(r.contains(r));
    assertTrue(r.contains(Ranges.empty()));
    assertTrue(Ranges.empty().contains(Ranges.empty()));
    assertFalse(r.contains(Ranges.of(3, 5)));
    assertFalse(r.contains(Ranges.of(0, 1)));
    assertFalse(r.contains(Ranges.of(7, 8)));
    assertFalse(Ranges.empty().contains(Ranges.of(1, 1)));
  }

  @Test
  void subtractingTheMiddleSplitsAnInterval() {
    assertEquals(Ranges.ofPairs(1, 3, 7, 10), Ranges.of(1, 10).minus(Ranges.of(4, 6)));
  }

  @Test
  void subtractingAtTheEdgesTrimsAnInterval() {
    Ranges r = Ranges.of(1, 10);

    assertEquals(Ranges.of(2, 10), r.minus(Ranges.of(1, 1)));
    assertEquals(Ranges.of(1, 9), r.minus(Ranges.of(10, 10)));
    assertEquals(Ranges.of(5, 10), r.minus(Ranges.of(0, 4)));
    assertEquals(Ranges.of(1, 4), r.minus(Ranges.of(5, 100)));
  }

  @Test
  void subtractingOneIntervalCanRemoveSeveral() {
    Ranges r = Ranges.ofPairs(1, 2, 4, 5, 7, 8, 10, 11);

    assertEquals(Ranges.ofPairs(1, 1, 11, 11), r.minus(Ranges.of(2, 10)));
  }

  @Test
  void subtractingSeveralIntervalsFromOne() {
    Ranges r = Ranges.of(0, 20);

    assertEquals(Ranges.ofPairs(0, 1, 4, 9, 12, 17, 20, 20), r.minus(Ranges.ofPairs(2, 3, 10, 11, 18, 19)));
  }

  @Test
  void subtractingEverythingOrNothing() {
    Ranges r = Ranges.ofPairs(3, 5, 9, 12);

    assertEquals(Ranges.empty(), r.minus(r));
    assertEquals(Ranges.empty(), r.minus(Ranges.of(0, 100)));
    assertEquals(r, r.minus(Ranges.ofPairs(0, 2, 6, 8, 13, 50)));
    assertEquals(r, r.minus(Ranges.empty()));
    assertEquals(Ranges.empty(), Ranges.empty().minus(r));
  }

  @Test
  void firstTakesTheLowestValuesAcrossIntervals() {
    Ranges r = Ranges.ofPairs(1, 2, 5, 9);

    assertEquals(Ranges.of(1, 1), r.first(1));
    assertEquals(Ranges.of(1, 2), r.first(2));
    assertEquals(Ranges.ofPairs(1, 2, 5, 5), r.first(3));
    assertEquals(r, r.first(r.size()));
  }

  @Test
  void firstOfZeroOrANegativeCountIsEmpty() {
    assertEquals(Ranges.empty(), Ranges.of(1, 9).first(0));
    assertEquals(Ranges.empty(), Ranges.of(1, 9).first(-3));
    assertEquals(Ranges.empty(), Ranges.empty().first(0));
  }

  @Test
  void firstOfMoreValuesThanPresentIsRejected() {
    Ranges r = Ranges.ofPairs(1, 2, 5, 6);

    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> r.first(5));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("[1-2, 5-6]"), e.getMessage());
    assertThrows(InvalidResourceException.class, () -> Ranges.empty().first(1));
  }

  @Test
  void sizeCountsEveryIntegerOfEveryInterval() {
    assertEquals(1 + 10 + 1, Ranges.ofPairs(0, 0, 10, 19, 100, 100).size());
    assertEquals(1L << 40, Ranges.of(1, 1L << 40).size());
  }

  @Test
  void equalValuesHaveEqualHashCodesWhateverTheirConstruction() {
    Ranges parsed = Ranges.parse("[3-4, 1-2, 7-7]");
    Ranges built = Ranges.ofPairs(7, 7, 1, 4);

    assertEquals(built, parsed);
    assertEquals(built.hashCode(), parsed.hashCode());
    assertNotEquals(Ranges.of(1, 4), Ranges.of(1, 5));
    assertNotEquals(Ranges.of(1, 4), "[1-4]");
  }

  @Test
  void printsTheMesosTextForm() {
    assertEquals("[31000-31099, 32000-32000]", Ranges.ofPairs(32000, 32000, 31000, 31099).toString());
  }

  @Test
  void printedFormParsesBackToAnEqualValue() {
    Ranges r = Ranges.ofPairs(0, 0, 2, 9, 31000, 32000, 1L << 40, (1L << 40) + 5);

    assertEquals(r, Ranges.parse(r.toString()));
  }
}
