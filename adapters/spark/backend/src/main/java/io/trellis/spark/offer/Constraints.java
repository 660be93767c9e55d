package io.trellis.spark.offer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Placement constraints on agent attributes, written {@code rack:r1,r2;zone:west;gpu}: each
 * attribute named must be present on the agent and, when values are listed, have one of them.
 */
public record Constraints(Map<String, Set<String>> required) {
  public static final Constraints NONE = new Constraints(Map.of());

  public Constraints {
    required = Map.copyOf(required);
  }

  public static Constraints parse(String text) {
    if (text == null || text.isBlank()) {
      return NONE;
    }
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':');
      String name = (colon < 0 ? p : p.substring(0, colon)).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("bad constraint '" + p + "' in '" + text
            + "': expected attribute or attribute:value1,value2");
      }
      Set<String> values = Set.of();
      if (colon >= 0) {
        String[] vs = p.substring(colon + 1).split(",");
        java.util.LinkedHashSet<String> set = new java.util.LinkedHashSet<>();
        for (String v : vs) {
          if (!v.isBlank()) {
            set.add(v.trim());
          }
        }
        if (set.isEmpty()) {
          throw new IllegalArgumentException("bad constraint '" + p + "' in '" + text
              + "': no value after ':'");
        }
        values = Set.copyOf(set);
      }
      out.put(name, values);
    }
    return new Constraints(out);
  }

  public boolean accepts(Map<String, String> attributes) {
    Map<String, String> attrs = attributes == null ? Map.of() : attributes;
    for (Map.Entry<String, Set<String>> c : required.entrySet()) {
      String value = attrs.get(c.getKey());
      if (value == null || (!c.getValue().isEmpty() && !c.getValue().contains(value))) {
        return false;
      }
    }
    return true;
  }
}
