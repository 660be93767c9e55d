package io.trellis.services.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The constraint operators: {@code UNIQUE}, {@code CLUSTER}, {@code GROUP_BY}, {@code LIKE},
 * {@code UNLIKE}, {@code MAX_PER}, on {@code hostname} or an agent attribute.
 */
public final class Constraints {
  private Constraints() {}

  /** What is wrong with a constraint as written, or null. */
  public static String problem(List<String> c) {
    if (c == null || c.size() < 2 || c.size() > 3) {
      return "must be [field, operator] or [field, operator, value]";
    }
    if (c.get(0) == null || c.get(0).isBlank()) {
      return "the field must be hostname or an attribute name";
    }
    String op = c.get(1) == null ? "" : c.get(1).toUpperCase();
    String value = c.size() == 3 ? c.get(2) : null;
    switch (op) {
      case "UNIQUE", "CLUSTER" -> {
        return null;
      }
      case "GROUP_BY" -> {
        return value == null || isPositiveInt(value) ? null : "GROUP_BY takes a positive number of groups, not '" + value + "'";
      }
      case "MAX_PER" -> {
        return isPositiveInt(value) ? null : "MAX_PER needs a positive number, not '" + value + "'";
      }
      case "LIKE", "UNLIKE" -> {
        if (value == null) {
          return op + " needs a regular expression";
        }
        try {
          Pattern.compile(value);
          return null;
        } catch (PatternSyntaxException e) {
          return "'" + value + "' is not a regular expression: " + e.getDescription();
        }
      }
      default -> {
        return "unknown operator '" + c.get(1) + "': use UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE or MAX_PER";
      }
    }
  }

  private static boolean isPositiveInt(String v) {
    try {
      return v != null && Integer.parseInt(v) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Constraints that passed {@link #problem} as rules. */
  public static List<Constraint> of(List<List<String>> written) {
    List<Constraint> out = new ArrayList<>();
    for (List<String> c : written) {
      out.add(one(c));
    }
    return out;
  }

  static Constraint one(List<String> c) {
    String field = c.get(0);
    String op = c.get(1).toUpperCase();
    String value = c.size() == 3 ? c.get(2) : null;
    String name = field + ":" + op + (value == null ? "" : ":" + value);
    return switch (op) {
      case "UNIQUE" -> (candidate, placed) -> {
        String v = candidate.field(field);
        if (v == null) {
          return name + ": the agent has no " + field;
        }
        return placed.stream().anyMatch(p -> v.equals(p.field(field))) ? name + ": an instance already runs on " + field + " " + v : null;
      };
      case "CLUSTER" -> (candidate, placed) -> {
        String v = candidate.field(field);
        String want = value != null ? value
            : placed.stream().map(p -> p.field(field)).filter(Objects::nonNull).findFirst().orElse(v);
        return v != null && v.equals(want) ? null : name + ": " + field + " is " + v + ", not " + want;
      };
      case "GROUP_BY" -> (candidate, placed) -> {
        String v = candidate.field(field);
        if (v == null) {
          return name + ": the agent has no " + field;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Spot p : placed) {
          String pv = p.field(field);
          if (pv != null) {
            counts.merge(pv, 1, Integer::sum);
          }
        }
        int groups = value == null ? 0 : Integer.parseInt(value);
        int least = counts.size() < groups || counts.isEmpty() ? 0
            : counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int mine = counts.getOrDefault(v, 0);
        return mine <= least ? null : name + ": " + field + " " + v + " has " + mine + " instances, another group has " + least;
      };
      case "LIKE" -> {
        Pattern p = Pattern.compile(value);
        yield (candidate, placed) -> {
          String v = candidate.field(field);
          return v != null && p.matcher(v).matches() ? null : name + ": " + field + " is " + v;
        };
      }
      case "UNLIKE" -> {
        Pattern p = Pattern.compile(value);
        yield (candidate, placed) -> {
          String v = candidate.field(field);
          return v == null || !p.matcher(v).matches() ? null : name + ": " + field + " is " + v;
        };
      }
      case "MAX_PER" -> {
        int max = Integer.parseInt(value);
        yield (candidate, placed) -> {
          String v = candidate.field(field);
          if (v == null) {
            return name + ": the agent has no " + field;
          }
          long n = placed.stream().filter(s -> v.equals(s.field(field))).count();
          return n < max ? null : name + ": " + field + " " + v + " already has " + n + " instances";
        };
      }
      default -> throw new IllegalArgumentException("unknown constraint operator: " + c.get(1));
    };
  }
}
