package io.trellis.docker;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One published port of a BRIDGE container: traffic to {@code hostPort} on the agent reaches
 * {@code containerPort} inside the container.
 *
 * @param protocols {@code tcp}, {@code udp} or both
 * @param name the mapping's name, or {@code null}
 */
record PortMapping(int hostPort, int containerPort, List<String> protocols, String name) {
  PortMapping {
    protocols = List.copyOf(protocols);
  }

  /**
   * Assigns host ports to the task's port mappings. A mapping without a host port (or with 0)
   * takes the next port of the task's port resources, in order; a fixed host port must be one of
   * them and not taken twice. A container port of 0 means the same port as on the host.
   *
   * @param taskPorts the ports of the task's resources, in order
   * @param errors where every invalid field is reported, by its path
   */
  static List<PortMapping> assign(List<Map<String, Object>> mappings, List<Long> taskPorts,
      List<String> errors) {
    Set<Long> fixed = new LinkedHashSet<>();
    List<Integer> hostPorts = new ArrayList<>();
    for (int i = 0; i < mappings.size(); i++) {
      Integer host = port(mappings.get(i), "hostPort", i, errors);
      if (host != null && host != 0) {
        if (!taskPorts.contains((long) host)) {
          errors.add(path(i, "hostPort") + " " + host + " is not among the task's ports "
              + taskPorts + "; use 0 to take the next of them or add it to the task's resources");
        } else if (!fixed.add((long) host)) {
          errors.add(path(i, "hostPort") + " " + host + " is mapped twice");
        }
      }
      hostPorts.add(host);
    }
    List<Long> free = new ArrayList<>(taskPorts);
    free.removeAll(fixed);
    int next = 0;
    List<PortMapping> out = new ArrayList<>();
    for (int i = 0; i < mappings.size(); i++) {
      Map<String, Object> m = mappings.get(i);
      Integer host = hostPorts.get(i);
      if (host == null || host == 0) {
        if (next >= free.size()) {
          errors.add(path(i, "hostPort") + ": the task has " + taskPorts.size() + " port(s) "
              + taskPorts + ", too few for " + mappings.size() + " port mappings; add ports to"
              + " the task's resources");
          continue;
        }
        host = free.get(next++).intValue();
      }
      Integer container = port(m, "containerPort", i, errors);
      List<String> protocols = protocols(m.get("protocol"), i, errors);
      Object name = m.get("name");
      out.add(new PortMapping(host, container == null || container == 0 ? host : container,
          protocols, name == null ? null : name.toString()));
    }
    return out;
  }

  private static Integer port(Map<String, Object> m, String field, int i, List<String> errors) {
    Object value = m.get(field);
    if (value == null) {
      return null;
    }
    try {
      double d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
      if (d != Math.rint(d) || d < 0 || d > 65535) {
        errors.add(path(i, field) + " must be a port number from 0 to 65535, not " + value);
        return null;
      }
      return (int) d;
    } catch (NumberFormatException e) {
      errors.add(path(i, field) + " must be a port number, not '" + value + "'");
      return null;
    }
  }

  private static List<String> protocols(Object value, int i, List<String> errors) {
    if (value == null || value.toString().isBlank()) {
      return List.of("tcp");
    }
    List<String> out = new ArrayList<>();
    for (String p : value.toString().toLowerCase(Locale.ROOT).split(",")) {
      String protocol = p.trim();
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        errors.add(path(i, "protocol") + " must be tcp, udp or tcp,udp, not '" + value + "'");
        return List.of("tcp");
      }
      if (!out.contains(protocol)) {
        out.add(protocol);
      }
    }
    return out;
  }

  private static String path(int i, String field) {
    return "container.portMappings[" + i + "]." + field;
  }
}
