package io.trellis.core.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributesTest {

  @Test
  void parsesNameValuePairs() {
    Attributes a = Attributes.parse("rack:r1;zone:west;level:3");

    assertEquals(Optional.of("r1"), a.get("rack"));
    assertEquals(Optional.of("west"), a.get("zone"));
    assertEquals(Optional.of("3"), a.get("level"));
    assertEquals(Optional.empty(), a.get("host"));
    assertEquals(Map.of("rack", "r1", "zone", "west", "level", "3"), a.values());
  }

  @Test
  void keepsTheGivenOrderWhenPrinting() {
    Attributes a = Attributes.parse("zone:west;rack:r1;level:3");

    assertEquals(List.of("zone", "rack", "level"), List.copyOf(a.values().keySet()));
    assertEquals("zone:west;rack:r1;level:3", a.toString());
  }

  @Test
  void trimsWhitespaceAndSkipsEmptyItems() {
    assertEquals(Attributes.parse("rack:r1;zone:west"), Attributes.parse(" ; rack : r1 ;; zone:west ; "));
  }

  @Test
  void keepsEverythingAfterTheFirstColonAsTheValue() {
    assertEquals(Optional.of("10.0.0.1:5051"), Attributes.parse("host:10.0.0.1:5051").get("host"));
  }

  @Test
  void parsesBlankOrMissingTextAsNone() {
    assertEquals(Attributes.NONE, Attributes.parse(""));
    assertEquals(Attributes.NONE, Attributes.parse(" ; "));
    assertEquals(Attributes.NONE, Attributes.parse(null));
    assertEquals("", Attributes.NONE.toString());
  }

  @Test
  void printedFormParsesBackToAnEqualValue() {
    Attributes a = Attributes.parse("rack:r1;zone:us-west-2a;level:3;ssd:true;host:h:1");

    assertEquals(a, Attributes.parse(a.toString()));
    assertEquals(a.toString(), Attributes.parse(a.toString()).toString());
  }

  @Test
  void readsNumericValues() {
    Attributes a = Attributes.parse("level:3;weight:0.25;rack:r1;neg:-2");

    assertEquals(Optional.of(3.0), a.number("level"));
    assertEquals(Optional.of(0.25), a.number("weight"));
    assertEquals(Optional.of(-2.0), a.number("neg"));
    assertEquals(Optional.empty(), a.number("rack"));
    assertEquals(Optional.empty(), a.number("missing"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rack", ":r1", "rack:", "rack:  ", "rack:r1;zone"})
  void rejectsAnItemWithoutNameOrValueNamingIt(String text) {
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> Attributes.parse(text));

    String item = text.contains(";") ? "zone" : text.trim();
    assertTrue(e.getMessage().contains("'" + item + "'"), e.getMessage());
  }

  @Test
  void rejectsAnAttributeGivenTwice() {
    InvalidResourceException e = assertThrows(InvalidResourceException.class,
        () -> Attributes.parse("rack:r1;zone:west;rack :r2"));

    assertTrue(e.getMessage().contains("'rack'"), e.getMessage());
  }

  @Test
  void constructorRejectsBlankNamesAndValues() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("rack", null);

    assertThrows(InvalidResourceException.class, () -> new Attributes(Map.of(" ", "r1")));
    assertThrows(InvalidResourceException.class, () -> new Attributes(Map.of("rack", " ")));
    InvalidResourceException e = assertThrows(InvalidResourceException.class, () -> new Attributes(nullValue));
    assertTrue(e.getMessage().contains("rack"), e.getMessage());
  }

  @Test
  void valuesAreACopyThatCannotBeModified() {
    Map<String, String> source = new HashMap<>(Map.of("rack", "r1"));
    Attributes a = new Attributes(source);
    source.put("zone", "west");

    assertEquals(Map.of("rack", "r1"), a.values());
    assertThrows(UnsupportedOperationException.class, () -> a.values().put("zone", "west"));
  }
}
