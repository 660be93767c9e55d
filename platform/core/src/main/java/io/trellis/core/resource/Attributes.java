package io.trellis.core.resource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Agent attributes in the Mesos text form {@code rack:r1;zone:west;level:3}, used by placement
 * constraints. Values are kept as text; {@link #number} reads numeric ones.
 */
public record Attributes(Map<String, String> values) {
  public static final Attributes NONE = new Attributes(Map.of());

  public Attributes {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    for (Map.Entry<String, String> e : values.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (name.isBlank() || !name.strip().equals(name) || name.contains(":") || name.contains(";")) {
        throw new InvalidResourceException("invalid attribute name '" + name
            + "': it must be non-blank, without surrounding spaces and free of ':' and ';'");
      }
      if (value == null || value.isBlank() || !value.strip().equals(value) || value.contains(";")) {
        throw new InvalidResourceException("invalid value '" + value + "' of attribute " + name
            + ": it must be non-blank, without surrounding spaces and free of ';'");
      }
    }
  }

  /** Parses {@code name:value;name:value}. */
  public static Attributes parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    if (text != null) {
      for (String raw : text.split(";")) {
        String item = raw.trim();
        if (item.isEmpty()) {
          continue;
        }
        int colon = item.indexOf(':');
        if (colon <= 0 || colon == item.length() - 1) {
          throw new InvalidResourceException("invalid attribute '" + item + "': expected name:value");
        }
        String name = item.substring(0, colon).trim();
        if (values.put(name, item.substring(colon + 1).trim()) != null) {
          throw new InvalidResourceException("attribute '" + name + "' is given twice");
        }
      }
    }
    return new Attributes(values);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public Optional<Double> number(String name) {
    String v = values.get(name);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append(':').append(v));
    return sb.toString();
  }
}
