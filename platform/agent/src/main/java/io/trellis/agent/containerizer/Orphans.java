package io.trellis.agent.containerizer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an earlier agent on this work directory started and no checkpoint knows any more, as
 * Mesos destroys unknown containers when its agent recovers: processes working in a task sandbox
 * under the work directory ({@code tasks/<framework>/<task>/sandbox}) that is not the sandbox of
 * a recovered task, their process groups,
 * and the task cgroups that hold them. Processes elsewhere are never touched, so agents with
 * other work directories on the same host (and their cgroups) are safe.
 */
final class Orphans {
  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);
  private static final Path PROC = Path.of("/proc");

  private Orphans() {}

  /**
   * Destroys the orphans; returns how many processes were killed.
   *
   * @param workDir the agent's work directory
   * @param knownSandboxes sandboxes of tasks recovered as running: what works there is kept
   * @param knownCgroups cgroup directories of recovered tasks: never removed
   */
  static int destroy(Path workDir, Set<Path> knownSandboxes, Set<Path> knownCgroups, Cgroups cgroups,
      HostTools tools) {
    Path root;
    try {
      root = workDir.toRealPath();
    } catch (IOException e) {
      return 0; // no work directory yet: nothing can have run in it
    }
    Set<Path> kept = new HashSet<>();
    for (Path s : knownSandboxes) {
      try {
        kept.add(s.toRealPath());
      } catch (IOException gone) {
        // a sandbox that no longer exists protects nothing
      }
    }
    long self = ProcessHandle.current().pid();
    Set<Long> ancestors = new HashSet<>();
    ProcessHandle.current().parent().ifPresent(p -> collectAncestors(p, ancestors));
    Set<Long> orphans = new HashSet<>();
    Set<Long> groups = new HashSet<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : dirs) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid == self || ancestors.contains(pid)) {
          continue;
        }
        Optional<ProcStat> stat = ProcStat.read(pid);
        Path cwd = cwd(dir);
        if (stat.isEmpty() || !stat.get().running() || !inSandbox(cwd, root)
            || kept.stream().anyMatch(cwd::startsWith)) {
          continue;
        }
        orphans.add(pid);
        if (stat.get().processGroup() == pid) {
          groups.add(pid);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot look for orphaned tasks in /proc: {}", e.toString());
      return 0;
    }
    int cgroupsRemoved = 0;
    for (Path cgroup : cgroups.taskDirs()) {
      if (!knownCgroups.contains(cgroup) && members(cgroup).stream().anyMatch(orphans::contains)) {
        Cgroups.TaskCgroup orphan = new Cgroups.TaskCgroup(List.of(cgroup));
        for (int attempt = 0; attempt < 20 && !orphan.tryRemove(); attempt++) {
          pause();
        }
        cgroupsRemoved++;
      }
    }
    for (long pgid : groups) {
      tools.signalGroup(pgid, "KILL");
    }
    for (long pid : orphans) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    if (!orphans.isEmpty()) {
      LOG.warn("destroyed {} processes ({} process groups, {} cgroups) working in sandboxes under {} that no"
          + " checkpoint knows: an earlier agent started them", orphans.size(), groups.size(), cgroupsRemoved, root);
    }
    return orphans.size();
  }

  /**
   * Whether {@code cwd} is in a task sandbox under the work directory ({@code
   * <root>/tasks/<framework>/<task>/sandbox}, the agent's layout): nothing else is ever taken for
   * an orphan, even with a work directory as broad as /tmp.
   */
  static boolean inSandbox(Path cwd, Path root) {
    Path tasks = root.resolve("tasks");
    if (cwd == null || !cwd.startsWith(tasks)) {
      return false;
    }
    Path rel = tasks.relativize(cwd);
    return rel.getNameCount() >= 3 && rel.getName(2).toString().equals("sandbox");
  }

  private static void collectAncestors(ProcessHandle p, Set<Long> out) {
    for (Optional<ProcessHandle> h = Optional.of(p); h.isPresent(); h = h.get().parent()) {
      out.add(h.get().pid());
    }
  }

  private static Path cwd(Path procDir) {
    try {
      return Files.readSymbolicLink(procDir.resolve("cwd"));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null; // gone, or another user's
    }
  }

  private static List<Long> members(Path cgroup) {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"))) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone meanwhile
    }
    return pids;
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
