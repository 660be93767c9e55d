package io.trellis.hadoop.profile;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named NodeManager sizes, written {@code small=1:1536,medium=2:3072} (name=cpus:memMb). An NM's
 * JVM takes {@code overheadMb} of each; YARN schedules the rest.
 */
public final class Profiles {
  public static final String DEFAULTS = "small=1:1536,medium=2:3072,large=4:6144";

  private final Map<String, Profile> byName;

  private Profiles(Map<String, Profile> byName) {
    this.byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
  }

  public static Profiles parse(String text, int overheadMb) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no profiles: expected name=cpus:memMb[,name=cpus:memMb...], e.g. " + DEFAULTS);
    }
    Map<String, Profile> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int eq = p.indexOf('=');
      int colon = p.indexOf(':', eq + 1);
      if (eq <= 0 || colon < 0) {
        throw new IllegalArgumentException("bad profile '" + p + "': expected name=cpus:memMb, e.g. small=1:1536");
      }
      String name = p.substring(0, eq).trim();
      double cpus;
      int mem;
      try {
        cpus = Double.parseDouble(p.substring(eq + 1, colon).trim());
        mem = Integer.parseInt(p.substring(colon + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad profile '" + p + "': cpus and memMb must be numbers, e.g. small=1:1536");
      }
      if (out.put(name, new Profile(name, cpus, mem, overheadMb)) != null) {
        throw new IllegalArgumentException("profile '" + name + "' is defined twice in '" + text + "'");
      }
    }
    return new Profiles(out);
  }

  public Optional<Profile> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The profile, or an error naming the known ones. */
  public Profile require(String name) {
    return get(name).orElseThrow(() -> new IllegalArgumentException("unknown profile '" + name + "'; known: "
        + String.join(", ", byName.keySet())));
  }

  public Collection<Profile> all() {
    return byName.values();
  }
}
