package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds which cgroup controllers the agent can use, from {@code /proc/self/mountinfo}: cgroup v1
 * hierarchies carrying {@code cpu} or {@code memory}, else a cgroup v2 hierarchy whose {@code
 * cgroup.controllers} lists them. A hierarchy counts only once the agent has created its own
 * directory ({@code <root>/<agent>}) in it, which proves it is mounted writable.
 */
final class CgroupDetector {
  private final String root;
  private final String agent;

  /**
   * @param root the directory under each hierarchy that holds the agents' cgroups, e.g. trellis
   * @param agentId the agent's id, or null for {@code agent}
   */
  CgroupDetector(String root, String agentId) {
    this.root = Cgroups.safeName(root);
    this.agent = Cgroups.safeName(agentId == null || agentId.isBlank() ? "agent" : agentId);
  }

  Cgroups detect(Path mountinfo) {
    List<Mount> mounts;
    try {
      mounts = parse(Files.readAllLines(mountinfo));
    } catch (IOException e) {
      return Cgroups.none("cannot read " + mountinfo + " (" + e.getMessage() + ")");
    }
    List<String> problems = new ArrayList<>();
    Map<String, Path> v1 = new LinkedHashMap<>();
    for (String controller : Cgroups.WANTED) {
      Mount mount = mounts.stream()
          .filter(m -> m.type().equals("cgroup") && m.superOptions().contains(controller))
          .findFirst().orElse(null);
      if (mount == null) {
        problems.add("no cgroup v1 " + controller + " hierarchy");
        continue;
      }
      try {
        v1.put(controller, agentDir(mount));
      } catch (IOException e) {
        problems.add("cgroup v1 " + controller + " at " + mount.point() + " is not writable ("
            + e + ")");
      }
    }
    if (!v1.isEmpty()) {
      return new Cgroups(new CgroupSupport("v1", List.copyOf(v1.keySet()),
          String.join("; ", problems)), v1);
    }
    for (Mount mount : mounts) {
      if (mount.type().equals("cgroup2")) {
        Cgroups v2 = detectV2(mount, problems);
        if (v2 != null) {
          return v2;
        }
      }
    }
    return Cgroups.none(String.join("; ", problems));
  }

  private Cgroups detectV2(Mount mount, List<String> problems) {
    Path base = mount.point();
    List<String> listed;
    try {
      listed = Arrays.asList(Files.readString(base.resolve("cgroup.controllers")).trim().split("\\s+"));
    } catch (IOException e) {
      problems.add("cannot read " + base.resolve("cgroup.controllers") + " (" + e + ")");
      return null;
    }
    List<String> usable = Cgroups.WANTED.stream().filter(listed::contains).toList();
    if (usable.isEmpty()) {
      problems.add("cgroup v2 at " + base + " enables no cpu or memory controller");
      return null;
    }
    StringBuilder enable = new StringBuilder();
    usable.forEach(c -> enable.append(enable.length() == 0 ? "+" : " +").append(c));
    try {
      Path dir = base;
      for (String name : List.of(root, agent)) {
        Files.writeString(dir.resolve("cgroup.subtree_control"), enable.toString());
        dir = dir.resolve(name);
        Files.createDirectories(dir);
      }
      Files.writeString(dir.resolve("cgroup.subtree_control"), enable.toString());
      Map<String, Path> dirs = new LinkedHashMap<>();
      for (String c : usable) {
        dirs.put(c, dir);
      }
      List<String> missing = new ArrayList<>(Cgroups.WANTED);
      missing.removeAll(usable);
      return new Cgroups(new CgroupSupport("v2", usable,
          missing.isEmpty() ? "" : "cgroup v2 at " + base + " lacks " + missing), dirs);
    } catch (IOException e) {
      problems.add("cannot delegate " + usable + " in cgroup v2 at " + base + " (" + e + ")");
      return null;
    }
  }

  private Path agentDir(Mount mount) throws IOException {
    if (mount.options().contains("ro")) {
      throw new IOException("mounted read-only");
    }
    return Files.createDirectories(mount.point().resolve(root).resolve(agent));
  }

  /** One line of mountinfo: mount point, mount options, file system type, super options. */
  record Mount(Path point, List<String> options, String type, List<String> superOptions) {}

  static List<Mount> parse(List<String> lines) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : lines) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] left = line.substring(0, dash).split(" ");
      String[] right = line.substring(dash + 3).split(" ");
      if (left.length < 6 || right.length < 3) {
        continue;
      }
      mounts.add(new Mount(Path.of(unescape(left[4])), List.of(left[5].split(",")), right[0],
          List.of(right[2].split(","))));
    }
    return mounts;
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes such as {@code \040}. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
