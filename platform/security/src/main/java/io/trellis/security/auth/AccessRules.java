package io.trellis.security.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.security.Action;
import io.trellis.security.Authorizer;
import io.trellis.security.Decision;
import io.trellis.security.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Access rules read from JSON: an ordered list, the first rule that matches the principal, the
 * action and the object decides; when none matches, the answer is no (default deny). The admin
 * principals may do everything.
 *
 * <pre>{"rules": [
 *   {"principals": ["ci"], "action": "manage_apps", "objects": ["/prod/*"], "allow": false},
 *   {"principals": ["ci", "dev-*"], "action": "manage_apps", "objects": ["/dev/*", "/ci/*"], "allow": true},
 *   {"principals": ["*"], "action": "read", "allow": true}
 * ]}</pre>
 *
 * <p>{@code principals} are names or globs ({@code *} any run of characters, {@code ?} one);
 * {@code "*"} matches every authenticated principal, never {@code anonymous}, which a rule must
 * name. {@code action} is an action's key ({@link Action#key()}) or {@code "*"}. {@code objects}
 * are globs over the action's object (a role, a user, an app id, a job name); left out, every
 * object.
 */
public final class AccessRules implements Authorizer {
  private static final Set<String> FIELDS = Set.of("principals", "action", "objects", "allow");
  private final List<Rule> rules;
  private final Set<String> admins;

  /** One rule; {@code action} null means every action. */
  public record Rule(int number, List<String> principals, Action action, List<String> objects, boolean allow) {
    public Rule {
      principals = List.copyOf(principals);
      objects = List.copyOf(objects);
    }

    boolean matches(Principal p, Action a, String object) {
      return (action == null || action == a) && anyMatch(principals, p.name(), !p.isAnonymous())
          && anyMatch(objects, object == null ? "" : object, true);
    }

    private static boolean anyMatch(List<String> globs, String value, boolean starMatches) {
      for (String g : globs) {
        if (g.equals("*") ? starMatches : Glob.matches(g, value)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "rule " + number + " {principals " + principals + ", action " + (action == null ? "*" : action.key())
          + ", objects " + objects + ", allow " + allow + "}";
    }
  }

  public AccessRules(List<Rule> rules, Set<String> admins) {
    this.rules = List.copyOf(rules);
    this.admins = Set.copyOf(admins);
  }

  /** Only the admins may do anything. */
  public static AccessRules adminsOnly(Set<String> admins) {
    return new AccessRules(List.of(), admins);
  }

  /** The rules of a JSON file, for these admins. */
  public static AccessRules fromFile(Path file, Set<String> admins) throws IOException {
    try {
      return parse(Files.readString(file), admins);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The rules of a JSON text: {@code {"rules": [...]}} or the array alone.
   *
   * @throws IllegalArgumentException naming the rule and field that is wrong
   */
  public static AccessRules parse(String json, Set<String> admins) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the access rules are not valid JSON: " + e.getOriginalMessage());
    }
    JsonNode array = root != null && root.isObject() ? root.get("rules") : root;
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("the access rules must be {\"rules\": [ ... ]} or a JSON array of rules");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      rules.add(rule(array.get(i), i + 1, "rules[" + i + "]"));
    }
    return new AccessRules(rules, admins);
  }

  private static Rule rule(JsonNode node, int number, String at) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(at + " is not an object with principals, action, objects and allow");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(at + "." + name + " is not a rule field; use " + FIELDS);
      }
    }
    List<String> principals = strings(node.get("principals"), at + ".principals", false);
    JsonNode actionNode = node.get("action");
    if (actionNode == null || !actionNode.isTextual()) {
      throw new IllegalArgumentException(at + ".action is required: one of " + keys() + " or \"*\"");
    }
    Action action = null;
    if (!actionNode.asText().equals("*")) {
      action = Action.byKey(actionNode.asText());
      if (action == null) {
        throw new IllegalArgumentException(at + ".action '" + actionNode.asText() + "' is not one of " + keys() + " or \"*\"");
      }
    }
    List<String> objects = node.has("objects") ? strings(node.get("objects"), at + ".objects", false) : List.of("*");
    JsonNode allow = node.get("allow");
    if (allow == null || !allow.isBoolean()) {
      throw new IllegalArgumentException(at + ".allow is required: true or false");
    }
    return new Rule(number, principals, action, objects, allow.booleanValue());
  }

  private static List<String> strings(JsonNode node, String at, boolean emptyOk) {
    if (node == null || !node.isArray() || (!emptyOk && node.isEmpty())) {
      throw new IllegalArgumentException(at + " must be a non-empty array of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      if (!node.get(i).isTextual() || node.get(i).asText().isEmpty()) {
        throw new IllegalArgumentException(at + "[" + i + "] must be a non-empty string");
      }
      out.add(node.get(i).asText());
    }
    return out;
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (Action a : Action.values()) {
      keys.add(a.key());
    }
    return keys;
  }

  public List<Rule> rules() {
    return rules;
  }

  @Override
  public Decision decide(Principal principal, Action action, String object) {
    if (admins.contains(principal.name()) && !principal.isAnonymous()) {
      return Decision.allow("admin principal");
    }
    for (Rule r : rules) {
      if (r.matches(principal, action, object)) {
        return r.allow ? Decision.allow(r.toString()) : Decision.deny(r.toString());
      }
    }
    return Decision.deny("no rule allows it (default deny)");
  }
}
