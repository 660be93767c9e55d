package io.trellis.agent.health;

import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.agent.containerizer.ContainerException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a shell command where the task runs (in its sandbox on the host, or inside its
 * container): exit status 0 passes. A command still running at the timeout is killed.
 */
final class CommandProbe implements Probe {
  private final String command;
  private final String where;
  private final CommandRunner runner;
  private final Duration timeout;
  private final ScheduledExecutorService timers;
  private volatile CommandRunner.Execution running;

  CommandProbe(String command, String where, CommandRunner runner, Duration timeout,
      ScheduledExecutorService timers) {
    this.command = command;
    this.where = where;
    this.runner = runner;
    this.timeout = timeout;
    this.timers = timers;
  }

  @Override
  public String description() {
    return "command '" + command + "'" + where;
  }

  @Override
  public CompletableFuture<ProbeResult> run() {
    CommandRunner.Execution execution;
    try {
      execution = runner.start(command, Map.of());
    } catch (ContainerException | RuntimeException e) {
      return CompletableFuture.completedFuture(ProbeResult.fail("could not start: " + e.getMessage()));
    }
    running = execution;
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    ScheduledFuture<?> deadline = timers.schedule(() -> {
      if (result.complete(ProbeResult.fail("timed out after " + Failures.seconds(timeout)))) {
        execution.cancel();
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    execution.exitStatus().whenComplete((status, failure) -> {
      deadline.cancel(false);
      if (failure != null) {
        result.complete(ProbeResult.fail("could not wait for it: " + failure.getMessage()));
      } else {
        result.complete(status == 0 ? ProbeResult.pass("exited with status 0")
            : ProbeResult.fail("exited with status " + status));
      }
    });
    return result;
  }

  @Override
  public void cancel() {
    CommandRunner.Execution e = running;
    if (e != null) {
      e.cancel();
    }
  }
}
