package io.trellis.agent.containerizer;

import java.util.List;

/**
 * Which cgroup controllers the process containerizer found usable on this host, for the agent to
 * report.
 *
 * @param version {@code "v1"}, {@code "v2"} or {@code "none"}
 * @param controllers the controllers that limit tasks, such as {@code cpu} and {@code memory}
 * @param missing what is missing and why, empty when every wanted controller is usable
 */
public record CgroupSupport(String version, List<String> controllers, String missing) {
  public CgroupSupport {
    controllers = List.copyOf(controllers);
  }

  static CgroupSupport none(String why) {
    return new CgroupSupport("none", List.of(), why);
  }

  public boolean enabled() {
    return !controllers.isEmpty();
  }

  /** For example {@code "cgroup v1: cpu, memory"} or {@code "no cgroup limits: ..."}. */
  public String describe() {
    if (!enabled()) {
      return "no cgroup limits: " + missing;
    }
    String text = "cgroup " + version + ": " + String.join(", ", controllers);
    return missing.isEmpty() ? text : text + " (" + missing + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
