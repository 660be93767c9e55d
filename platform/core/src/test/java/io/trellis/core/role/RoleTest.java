package io.trellis.core.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoleTest {

  @ParameterizedTest
  @ValueSource(strings = {"*", "spark", "analytics/spark", "a/b/c/d", "team-1", "web.prod", "a_b", "a.", "x-",
      "a/b.c", "..a", "**", "ünicode"})
  void acceptsValidRoleNames(String role) {
    assertEquals(role, Role.validate(role));
  }

  @ParameterizedTest(name = "{0} is rejected")
  @ValueSource(strings = {"/spark", "spark/", "/", "a//b", ".", "..", "a/./b", "a/..", "-spark", "a/-b", "a/*", "*/a",
      "a b", "a\tb", "a\\b", "a(b", "a)b", "a;b", "a:b", "a\u0001b"})
  void rejectsInvalidRoleNamesNamingThem(String role) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.validate(role));

    assertTrue(e.getMessage().contains("'" + role + "'"), e.getMessage());
  }

  @Test
  void rejectsAMissingOrEmptyRoleName() {
    assertThrows(IllegalArgumentException.class, () -> Role.validate(null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.validate(""));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @ParameterizedTest(name = "parent of {0} is {1}")
  @CsvSource({
      "analytics/spark,    analytics",
      "a/b/c,              a/b",
      "team-1/web.prod/x,  team-1/web.prod",
  })
  void parentDropsTheLastComponent(String role, String parent) {
    assertEquals(parent, Role.parent(role));
  }

  @Test
  void rejectsOverlongNamesAndBytesThatWereNotUtf8() {
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
        () -> Role.validate("r".repeat(Role.MAX_LENGTH + 1)));
    assertTrue(tooLong.getMessage().contains("at most " + Role.MAX_LENGTH), tooLong.getMessage());
    Role.validate("r".repeat(Role.MAX_LENGTH));
    assertThrows(IllegalArgumentException.class, () -> Role.validate("a\uFFFDb"));
  }

  @Test
  void topLevelRolesHaveNoParent() {
    assertNull(Role.parent("analytics"));
    assertNull(Role.parent(Role.ANY));
  }

  @Test
  void walkingParentsVisitsEveryAncestor() {
    StringBuilder path = new StringBuilder();
    for (String r = "a/b/c/d"; r != null; r = Role.parent(r)) {
      path.append(r).append(' ');
    }

    assertEquals("a/b/c/d a/b/c a/b a ", path.toString());
  }

  @Test
  void aRoleIsItsOwnAncestor() {
    assertTrue(Role.isSelfOrAncestor("analytics", "analytics"));
    assertTrue(Role.isSelfOrAncestor("analytics/spark", "analytics/spark"));
    assertTrue(Role.isSelfOrAncestor(Role.ANY, Role.ANY));
  }

  @Test
  void everyPrefixOfWholeComponentsIsAnAncestor() {
    assertTrue(Role.isSelfOrAncestor("a", "a/b/c"));
    assertTrue(Role.isSelfOrAncestor("a/b", "a/b/c"));
    assertTrue(Role.isSelfOrAncestor("analytics", "analytics/spark"));
  }

  @Test
  void aPrefixThatEndsInsideAComponentIsNotAnAncestor() {
    assertFalse(Role.isSelfOrAncestor("analytics", "analytics2"));
    assertFalse(Role.isSelfOrAncestor("analytics", "analyticsx/spark"));
    assertFalse(Role.isSelfOrAncestor("a/b", "a/bc"));
  }

  @Test
  void descendantsAndSiblingsAreNotAncestors() {
    assertFalse(Role.isSelfOrAncestor("analytics/spark", "analytics"));
    assertFalse(Role.isSelfOrAncestor("analytics/spark", "analytics/flink"));
    assertFalse(Role.isSelfOrAncestor("spark", "analytics/spark"));
    assertFalse(Role.isSelfOrAncestor("a", "ab"));
  }

  @Test
  void theDefaultRoleIsNotAnAncestorOfNamedRoles() {
    assertFalse(Role.isSelfOrAncestor(Role.ANY, "analytics"));
    assertFalse(Role.isSelfOrAncestor("analytics", Role.ANY));
  }

  @Test
  void everyRoleOnTheParentChainIsAnAncestor() {
    String role = "a/b/c/d";
    for (String r = role; r != null; r = Role.parent(r)) {
      assertTrue(Role.isSelfOrAncestor(r, role), r);
      assertEquals(r.equals(role), Role.isSelfOrAncestor(role, r), r);
    }
  }
}
