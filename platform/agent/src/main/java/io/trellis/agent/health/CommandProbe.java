package io.trellis.agent.health;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell command in the task's sandbox with the task's environment: exit status 0 passes.
 * A command still running at the timeout is killed with everything it started.
 */
final class CommandProbe implements Probe {
  private final String command;
  private final Path sandbox;
  private final Map<String, String> environment;
  private final Duration timeout;
  private final ScheduledExecutorService timers;
  private volatile Process running;

  CommandProbe(String command, Path sandbox, Map<String, String> environment, Duration timeout,
      ScheduledExecutorService timers) {
    this.command = command;
    this.sandbox = sandbox;
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
    this.timers = timers;
  }

  @Override
  public String description() {
    return "command '" + command + "'";
  }

  @Override
  public CompletableFuture<ProbeResult> run() {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", command))
          .directory(sandbox.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(ProbeResult.fail("could not start: " + e.getMessage()));
    }
    running = process;
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    ScheduledFuture<?> deadline = timers.schedule(() -> {
      if (result.complete(ProbeResult.fail("timed out after " + Failures.seconds(timeout)))) {
        kill(process);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    process.onExit().thenAccept(p -> {
      deadline.cancel(false);
      int status = p.exitValue();
      result.complete(status == 0 ? ProbeResult.pass("exited with status 0")
          : ProbeResult.fail("exited with status " + status));
    });
    return result;
  }

  @Override
  public void cancel() {
    Process p = running;
    if (p != null && p.isAlive()) {
      kill(p);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
