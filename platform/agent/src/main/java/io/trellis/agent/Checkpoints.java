package io.trellis.agent;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.api.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the agent keeps on disk to survive a restart: its id, each task's launch, and every
 * status update not yet acknowledged. Writes go to a temporary file and are moved into place.
 *
 * <pre>
 * workDir/agent-id
 * workDir/boot-id                    (the host's boot id when the agent last started)
 * workDir/tasks/&lt;frameworkId&gt;/&lt;taskId&gt;/launch.json
 * workDir/tasks/&lt;frameworkId&gt;/&lt;taskId&gt;/sandbox/               (stdout, stderr)
 * workDir/tasks/&lt;frameworkId&gt;/&lt;taskId&gt;/updates/&lt;seq&gt;-&lt;uuid&gt;.json  (until acknowledged)
 * workDir/tasks/&lt;frameworkId&gt;/&lt;taskId&gt;/state.json               (latest status)
 * </pre>
 */
final class Checkpoints {
  private final Path root;

  private static final String KILL = "kill.json";
  private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

  Checkpoints(Path workDir) {
    this.root = workDir;
  }

  Path taskDir(String frameworkId, String taskId) {
    return root.resolve("tasks").resolve(safe(frameworkId)).resolve(safe(taskId));
  }

  Path sandbox(String frameworkId, String taskId) {
    return taskDir(frameworkId, taskId).resolve("sandbox");
  }

  String agentId() {
    Path p = root.resolve("agent-id");
    try {
      return Files.exists(p) ? Files.readString(p).trim() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void agentId(String id) {
    write(root.resolve("agent-id"), id);
  }

  /** The boot id of the host when this work directory was last used, or null (never recorded). */
  String bootId() {
    Path p = root.resolve("boot-id");
    try {
      return Files.exists(p) ? Files.readString(p).trim() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void bootId(String id) {
    write(root.resolve("boot-id"), id);
  }

  void launch(AgentProtocol.Launch launch) {
    write(taskDir(launch.frameworkId(), launch.task().taskId()).resolve("launch.json"), json(launch));
  }

  /**
   * A kill the agent was asked for and has started: a restarted agent finishes it.
   *
   * @param requestedAtMillis when the kill was asked for (epoch milliseconds)
   * @param gracePeriodMillis the time between SIGTERM and SIGKILL
   */
  record KillRequest(long requestedAtMillis, long gracePeriodMillis) {}

  void killRequested(String frameworkId, String taskId, KillRequest kill) {
    write(taskDir(frameworkId, taskId).resolve(KILL), json(kill));
  }

  /** The task's checkpointed kill request, or null. */
  static KillRequest killRequest(Path taskDir) {
    return read(taskDir.resolve(KILL), KillRequest.class);
  }

  void latest(String frameworkId, TaskStatus status) {
    write(taskDir(frameworkId, status.taskId()).resolve("state.json"), json(status));
  }

  void pending(String frameworkId, long seq, TaskStatus status) {
    write(taskDir(frameworkId, status.taskId()).resolve("updates")
        .resolve(String.format("%012d-%s.json", seq, status.uuid())), json(status));
  }

  void acknowledged(String frameworkId, String taskId, String uuid) {
    Path dir = taskDir(frameworkId, taskId).resolve("updates");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-" + uuid + ".json")).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every task directory with a launch checkpoint. */
  List<Path> taskDirs() {
    List<Path> out = new ArrayList<>();
    Path tasks = root.resolve("tasks");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    try (Stream<Path> frameworks = Files.list(tasks)) {
      for (Path fw : frameworks.toList()) {
        try (Stream<Path> ts = Files.list(fw)) {
          ts.filter(t -> Files.exists(t.resolve("launch.json"))).forEach(out::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static <T> T read(Path file, Class<T> type) {
    try {
      return Files.exists(file) ? Json.mapper().readValue(file.toFile(), type) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Unacknowledged updates of a task, oldest first. */
  static List<TaskStatus> pending(Path taskDir) {
    Path dir = taskDir.resolve("updates");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().map(f -> read(f, TaskStatus.class)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(Object o) {
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String content) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      // The agent's alone: a launch names the task's environment, secrets included, and tasks of
      // other users run next to these files.
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, OWNER_ONLY);
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp); // a partial file only takes more of the space that ran out
      } catch (IOException ignored) {
        // the write's own failure is the one to report
      }
      throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
    }
  }

  /** Ids become directory names: anything but letters, digits, '.', '_' and '-' is escaped. */
  static String safe(String id) {
    StringBuilder sb = new StringBuilder();
    for (char c : id.toCharArray()) {
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-') {
        sb.append(c);
      } else {
        sb.append('%').append(String.format("%04x", (int) c));
      }
    }
    return sb.toString();
  }
}
