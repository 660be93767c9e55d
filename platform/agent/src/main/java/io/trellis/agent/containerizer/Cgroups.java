package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cgroup hierarchies the process containerizer puts tasks in: one directory per task under
 * {@code <hierarchy>/<root>/<agent>/}, in every usable v1 controller hierarchy or in the one
 * cgroup v2 hierarchy. {@link CgroupDetector} finds what the host allows.
 */
final class Cgroups {
  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final List<String> WANTED = List.of(CPU, MEMORY);
  private static final long CFS_PERIOD_US = 100_000;
  private static final long MIN_QUOTA_US = 1_000;

  private final CgroupSupport support;
  /** Per controller, the agent's directory in that controller's hierarchy (v2: the same one). */
  private final Map<String, Path> agentDirs;

  Cgroups(CgroupSupport support, Map<String, Path> agentDirs) {
    this.support = support;
    this.agentDirs = Map.copyOf(agentDirs);
  }

  static Cgroups none(String why) {
    return new Cgroups(CgroupSupport.none(why), Map.of());
  }

  CgroupSupport support() {
    return support;
  }

  /** The task cgroup directories under the agent's directories, in every hierarchy. */
  List<Path> taskDirs() {
    Set<Path> out = new LinkedHashSet<>();
    for (Path agentDir : new LinkedHashSet<>(agentDirs.values())) {
      try (var children = Files.list(agentDir)) {
        children.filter(Files::isDirectory).forEach(out::add);
      } catch (IOException e) {
        // the hierarchy went away: nothing of ours is left in it
      }
    }
    return List.copyOf(out);
  }

  /**
   * Creates the task's cgroup with limits from its resources; {@code cpus} or {@code memMb} of
   * zero leave that resource unlimited.
   */
  TaskCgroup create(String taskId, double cpus, double memMb) throws ContainerException {
    if (!support.enabled()) {
      return new TaskCgroup(List.of());
    }
    String name = safeName(taskId);
    Set<Path> created = new LinkedHashSet<>();
    Map<String, Path> dirs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Path> e : agentDirs.entrySet()) {
        Path dir = e.getValue().resolve(name);
        if (created.add(dir)) {
          Files.createDirectories(dir);
        }
        dirs.put(e.getKey(), dir);
      }
    } catch (IOException e) {
      new TaskCgroup(List.copyOf(created)).tryRemove();
      throw new ContainerException("cannot create the cgroup of task " + taskId + ": " + e
          + "; check that the agent may write to " + agentDirs.values(), e);
    }
    TaskCgroup cgroup = new TaskCgroup(List.copyOf(created));
    try {
      if (cpus > 0 && dirs.containsKey(CPU)) {
        long quota = Math.max(MIN_QUOTA_US, Math.round(cpus * CFS_PERIOD_US));
        Path dir = dirs.get(CPU);
        if (support.version().equals("v2")) {
          write(dir, "cpu.max", quota + " " + CFS_PERIOD_US);
        } else {
          write(dir, "cpu.cfs_period_us", Long.toString(CFS_PERIOD_US));
          write(dir, "cpu.cfs_quota_us", Long.toString(quota));
          write(dir, "cpu.shares", Long.toString(Math.max(2, Math.round(cpus * 1024))));
        }
      }
      if (memMb > 0 && dirs.containsKey(MEMORY)) {
        long bytes = Math.round(memMb * 1024 * 1024);
        Path dir = dirs.get(MEMORY);
        if (support.version().equals("v2")) {
          write(dir, "memory.max", Long.toString(bytes));
        } else {
          write(dir, "memory.limit_in_bytes", Long.toString(bytes));
          writeIfPresent(dir, "memory.memsw.limit_in_bytes", Long.toString(bytes));
        }
      }
    } catch (ContainerException e) {
      cgroup.tryRemove();
      throw e;
    }
    return cgroup;
  }

  private static void write(Path dir, String file, String value) throws ContainerException {
    try {
      Files.writeString(dir.resolve(file), value);
    } catch (IOException e) {
      throw new ContainerException("cannot set " + dir.resolve(file) + " to " + value + ": " + e
          + "; check the task's resources and that the agent may write to " + dir, e);
    }
  }

  /** Optional limits (swap accounting is often off): a failure leaves the limit unset. */
  private static void writeIfPresent(Path dir, String file, String value) {
    if (Files.exists(dir.resolve(file))) {
      try {
        Files.writeString(dir.resolve(file), value);
      } catch (IOException e) {
        // Swap accounting is off or the kernel refuses; the memory limit above still applies.
      }
    }
  }

  /** A directory name from an id: letters, digits, '.', '_' and '-' are kept, the rest become '_'. */
  static String safeName(String id) {
    String name = id == null ? "" : id.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      return "_" + name;
    }
    return name.length() > 200 ? name.substring(0, 200) : name;
  }

  /** One task's cgroup directories, one per hierarchy (none when cgroups are off). */
  record TaskCgroup(List<Path> dirs) {
    TaskCgroup {
      dirs = List.copyOf(dirs);
    }

    /** The files the wrapper writes its pid to, so that it and its children join the cgroup. */
    List<Path> procsFiles() {
      List<Path> files = new ArrayList<>();
      for (Path dir : dirs) {
        files.add(dir.resolve("cgroup.procs"));
      }
      return files;
    }

    /**
     * Kills what is left in the cgroup and removes its directories; returns whether all are gone
     * (a directory stays busy until its last process has exited, so callers retry).
     */
    boolean tryRemove() {
      boolean gone = true;
      for (Path dir : dirs) {
        killMembers(dir);
        try {
          Files.delete(dir);
        } catch (NoSuchFileException e) {
          // Already removed, for example by the instance that launched the task.
        } catch (IOException e) {
          gone = false;
        }
      }
      return gone;
    }

    private static void killMembers(Path dir) {
      List<String> pids;
      try {
        pids = Files.readAllLines(dir.resolve("cgroup.procs"));
      } catch (IOException e) {
        return;
      }
      for (String pid : pids) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }
}
