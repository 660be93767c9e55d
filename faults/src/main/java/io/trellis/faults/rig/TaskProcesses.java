package io.trellis.faults.rig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The task processes that actually run on hosts: every process whose environment names a {@code TRELLIS_TASK_ID}. */
final class TaskProcesses {
  private TaskProcesses() {}

  /** Task id to the pids of its processes, over the namespaces of {@code hosts}. */
  static Map<String, Set<Long>> on(Network network, List<Host> hosts) {
    Map<String, Set<Long>> out = new TreeMap<>();
    for (Host h : hosts) {
      for (long pid : network.pids(h)) {
        String id = taskIdOf(pid);
        if (id != null) {
          out.computeIfAbsent(id, k -> new TreeSet<>()).add(pid);
        }
      }
    }
    return out;
  }

  private static String taskIdOf(long pid) {
    try {
      byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
      for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
        if (kv.startsWith("TRELLIS_TASK_ID=")) {
          return kv.substring("TRELLIS_TASK_ID=".length());
        }
      }
    } catch (IOException e) {
      // gone meanwhile
    }
    return null;
  }
}
