package io.trellis.storm.nimbus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs, each name known; errors name the option. */
final class NimbusArgs {
  static final List<String> NAMES = List.of("zk", "master", "storm-root", "host", "port", "local-dir", "role",
      "name", "slots-per-supervisor", "idle-grace-seconds", "failover-seconds", "worker-cpu", "worker-mem-mb",
      "supervisor-cpu", "supervisor-mem-mb", "lib", "java-home", "java-options", "monitor-seconds",
      "class-archive");

  private final Map<String, String> values = new HashMap<>();

  NimbusArgs(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !NAMES.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown option '" + a + "'; known: --" + String.join(", --", NAMES));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean onOff(String name, boolean fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    return switch (v.trim()) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("--" + name + " must be on or off, not '" + v + "'");
    };
  }

  int integer(String name, int fallback, int min, int max) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max
        + ", not '" + v + "'");
  }

  double number(String name, double fallback, double min, double max) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double n = Double.parseDouble(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--" + name + " must be a number from " + min + " to " + max + ", not '" + v + "'");
  }
}
