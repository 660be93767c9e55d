package io.trellis.agent.health;

import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.agent.containerizer.ContainerException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs commands on the agent's host in a task's sandbox with the task's environment and as the
 * task's user ({@code runAs}, the words that switch to it), for tasks that see the host's
 * filesystem. Cancelling kills the command with everything it
 * started.
 */
record HostCommands(Path sandbox, Map<String, String> environment, List<String> runAs) implements CommandRunner {
  HostCommands {
    environment = Map.copyOf(environment);
    runAs = List.copyOf(runAs);
  }

  /** Commands run as the agent's own user. */
  HostCommands(Path sandbox, Map<String, String> environment) {
    this(sandbox, environment, List.of());
  }

  @Override
  public Execution start(String command, Map<String, String> extra) throws ContainerException {
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(extra);
    Process process;
    try {
      List<String> argv = new java.util.ArrayList<>(runAs);
      argv.addAll(List.of("/bin/sh", "-c", command));
      ProcessBuilder builder = new ProcessBuilder(argv)
          .directory(sandbox.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new ContainerException(e.getMessage(), e);
    }
    return new Execution() {
      @Override
      public CompletableFuture<Integer> exitStatus() {
        return process.onExit().thenApply(Process::exitValue);
      }

      @Override
      public void cancel() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    };
  }
}
