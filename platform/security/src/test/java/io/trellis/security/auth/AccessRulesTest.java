package io.trellis.security.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.security.Action;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
  private static final String RULES = """
      {"rules": [
        {"principals": ["ci"], "action": "manage_apps", "objects": ["/prod/*"], "allow": false},
        {"principals": ["ci", "dev-*"], "action": "manage_apps", "objects": ["/dev/*", "/ci/*"], "allow": true},
        {"principals": ["spark"], "action": "register_framework", "objects": ["spark"], "allow": true},
        {"principals": ["*"], "action": "run_tasks", "objects": ["root"], "allow": false},
        {"principals": ["*"], "action": "run_tasks", "allow": true},
        {"principals": ["*"], "action": "read", "allow": true}
      ]}""";
  private final AccessRules rules = AccessRules.parse(RULES, Set.of("admin"));

  private Decision decide(String who, Action action, String object) {
    return rules.decide(new Principal(who), action, object);
  }

  @Test
  void theFirstMatchingRuleDecidesAndItsNumberIsNamed() {
    Decision refused = decide("ci", Action.MANAGE_APPS, "/prod/web");
    assertFalse(refused.allowed());
    assertTrue(refused.rule().startsWith("rule 1 "), refused.rule());
    assertTrue(decide("ci", Action.MANAGE_APPS, "/dev/web").allowed());
    assertTrue(decide("dev-anna", Action.MANAGE_APPS, "/ci/nested/app").allowed());
    assertTrue(decide("bob", Action.RUN_TASKS, "nobody").allowed());
    Decision root = decide("bob", Action.RUN_TASKS, "root");
    assertFalse(root.allowed());
    assertTrue(root.rule().startsWith("rule 4 "), root.rule());
  }

  @Test
  void whatNoRuleAllowsIsRefusedByDefault() {
    Decision d = decide("dev-anna", Action.MANAGE_APPS, "/prod/web");
    assertFalse(d.allowed());
    assertEquals("no rule allows it (default deny)", d.rule());
    assertFalse(decide("spark", Action.REGISTER_FRAMEWORK, "storm").allowed());
    assertFalse(decide("ci", Action.UPDATE_QUOTA, "spark").allowed());
  }

  @Test
  void theAdminMayDoEverythingAndAnonymousIsNotCoveredByStar() {
    assertTrue(decide("admin", Action.UPDATE_QUOTA, "anything").allowed());
    assertFalse(rules.decide(Principal.ANONYMOUS, Action.READ, "/api/v1/state").allowed());
    AccessRules named = AccessRules.parse("[{\"principals\": [\"anonymous\"], \"action\": \"read\", \"allow\": true}]", Set.of());
    assertTrue(named.decide(Principal.ANONYMOUS, Action.READ, "/metrics").allowed());
  }

  @Test
  void aWrongRuleIsRefusedNamingTheRuleAndField() {
    IllegalArgumentException action = assertThrows(IllegalArgumentException.class, () -> AccessRules.parse(
        "[{\"principals\": [\"a\"], \"action\": \"manage_app\", \"allow\": true}]", Set.of()));
    assertTrue(action.getMessage().contains("rules[0].action 'manage_app'"), action.getMessage());
    IllegalArgumentException allow = assertThrows(IllegalArgumentException.class, () -> AccessRules.parse(
        "[{\"principals\": [\"a\"], \"action\": \"read\"}, {\"principals\": [\"a\"], \"action\": \"read\", \"allow\": 1}]", Set.of()));
    assertTrue(allow.getMessage().contains("rules[0].allow"), allow.getMessage());
    IllegalArgumentException field = assertThrows(IllegalArgumentException.class, () -> AccessRules.parse(
        "[{\"principal\": [\"a\"], \"action\": \"read\", \"allow\": true}]", Set.of()));
    assertTrue(field.getMessage().contains("rules[0].principal is not a rule field"), field.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("{\"rules\": 3}", Set.of()));
    assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("[[[[", Set.of()));
  }

  @Test
  void globsMatchWholeValues() {
    assertTrue(Glob.matches("/dev/*", "/dev/a/b"));
    assertFalse(Glob.matches("/dev/*", "/devx"));
    assertFalse(Glob.matches("/dev/*", "/dev"));
    assertTrue(Glob.matches("dev-?", "dev-1"));
    assertFalse(Glob.matches("dev-?", "dev-12"));
    assertTrue(Glob.matches("*a*b*", "xxaxxbxx"));
    assertFalse(Glob.matches("abc", "abcd"));
  }
}
