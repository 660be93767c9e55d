package io.trellis.allocator;

import io.trellis.core.resource.Attributes;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Marathon-style placement rule for the members of a demand: {@code [field, op]} or {@code
 * [field, op, value]}, where field is {@code hostname} or an agent attribute. UNIQUE: one member
 * per value; CLUSTER value: only agents whose field equals it; LIKE / UNLIKE regex: agents whose
 * field matches (or does not); MAX_PER n: at most n members per value. Members are placed
 * against each other only: tasks already running are not counted.
 */
public record MemberConstraint(String field, Op op, String value, Pattern pattern, int maxPer) {
  public enum Op { UNIQUE, CLUSTER, LIKE, UNLIKE, MAX_PER }

  /** The longest accepted regular expression. */
  private static final int MAX_VALUE = 1024;

  /** Parses a rule, or throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static MemberConstraint parse(List<String> rule) {
    if (rule == null || rule.size() < 2 || rule.size() > 3) {
      throw new IllegalArgumentException("a constraint is [field, operator] or [field, operator, value], got " + rule);
    }
    String field = rule.get(0);
    if (field == null || field.isBlank() || field.length() > 256) {
      throw new IllegalArgumentException("a constraint needs a field (hostname or an attribute name), got " + field);
    }
    Op op;
    try {
      op = Op.valueOf(String.valueOf(rule.get(1)).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown constraint operator '" + rule.get(1) + "': one of "
          + List.of(Op.values()));
    }
    String value = rule.size() == 3 ? rule.get(2) : null;
    if (op == Op.UNIQUE) {
      if (value != null) {
        throw new IllegalArgumentException("UNIQUE takes no value, got '" + value + "'");
      }
      return new MemberConstraint(field, op, null, null, 1);
    }
    if (value == null || value.isEmpty() || value.length() > MAX_VALUE) {
      throw new IllegalArgumentException(op + " needs a value of 1 to " + MAX_VALUE + " characters");
    }
    return switch (op) {
      case CLUSTER -> new MemberConstraint(field, op, value, null, 0);
      case LIKE, UNLIKE -> {
        try {
          yield new MemberConstraint(field, op, value, Pattern.compile(value), 0);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException(op + " needs a regular expression, got '" + value + "'");
        }
      }
      case MAX_PER -> {
        int n;
        try {
          n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          n = 0;
        }
        if (n < 1) {
          throw new IllegalArgumentException("MAX_PER needs a whole number of at least 1, got '" + value + "'");
        }
        yield new MemberConstraint(field, op, value, null, n);
      }
      case UNIQUE -> throw new AssertionError();
    };
  }

  /** The agent's value of the field, or null when it has none. */
  String valueOf(String hostname, Attributes attributes) {
    return "hostname".equals(field) ? hostname : attributes.values().get(field);
  }

  /** How many more members an agent with this value may take, with {@code sameValue} already on it. */
  long room(String agentValue, int sameValue) {
    return switch (op) {
      case UNIQUE, MAX_PER -> agentValue == null ? 0 : Math.max(0, maxPer - sameValue);
      case CLUSTER -> value.equals(agentValue) ? Long.MAX_VALUE : 0;
      case LIKE -> agentValue != null && pattern.matcher(agentValue).matches() ? Long.MAX_VALUE : 0;
      case UNLIKE -> agentValue == null || !pattern.matcher(agentValue).matches() ? Long.MAX_VALUE : 0;
    };
  }

  @Override
  public String toString() {
    return field + ":" + op + (value == null ? "" : ":" + value);
  }
}
