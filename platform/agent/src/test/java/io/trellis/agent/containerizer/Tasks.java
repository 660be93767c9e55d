package io.trellis.agent.containerizer;

import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.api.CommandSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Builds launch requests and waits, always with a deadline, for what real processes do. */
final class Tasks {
  static final String AGENT = "containerizer-test";
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private Tasks() {}

  /** A task id unique to this run, so parallel runs never share a cgroup directory. */
  static String uniqueId(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static ProcessContainerizer containerizer(Path workDir) {
    return containerizer(workDir, Map.of());
  }

  static ProcessContainerizer containerizer(Path workDir, Map<String, String> settings) {
    ProcessContainerizer containerizer = new ProcessContainerizer();
    containerizer.initialize(new ContainerizerContext(AGENT, workDir, settings));
    return containerizer;
  }

  static LaunchRequest shell(String command, Path sandbox) {
    return request(CommandSpec.shell(command), "cpus:0.5;mem:64", sandbox, Map.of());
  }

  static LaunchRequest request(CommandSpec command, String resources, Path sandbox,
      Map<String, String> environment) {
    String taskId = uniqueId("task");
    TaskSpec task = new TaskSpec(taskId, "test", AGENT, resources, command, Map.of(), null, null);
    return new LaunchRequest("framework-1", task, Resources.parse(resources), sandbox,
        environment);
  }

  static CommandSpec executable(String value, List<String> arguments) {
    return new CommandSpec(value, false, arguments, Map.of(), null);
  }

  static Termination await(Container container) throws Exception {
    return container.termination().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file);
  }

  /** Waits until the task has written {@code file} (tasks write it and rename it into place). */
  static String awaitFile(Path file) throws Exception {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (!Files.exists(file)) {
      if (Instant.now().isAfter(deadline)) {
        fail("the task did not write " + file + " within " + TIMEOUT);
      }
      Thread.sleep(10);
    }
    return Files.readString(file).trim();
  }

  /** Whether the process has ended (gone, or a zombie nobody has reaped yet). */
  static boolean ended(long pid) {
    return ProcStat.read(pid).map(s -> !s.running()).orElse(true);
  }
}
