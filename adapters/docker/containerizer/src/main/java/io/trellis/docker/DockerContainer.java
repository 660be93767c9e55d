package io.trellis.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.WaitResponse;
import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.agent.containerizer.Container;
import io.trellis.agent.containerizer.Termination;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's container: follows its logs into the sandbox, waits for it to exit, then removes it
 * and completes {@link #termination()}. Killing it is {@code docker stop} with the task's grace
 * period (the image's stop signal, SIGTERM by default, then SIGKILL).
 */
final class DockerContainer implements Container {
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainer.class);
  private static final long RETRY_MS = 1000;
  private static final int RETRIES = 300;
  private static final long LOG_DRAIN_SECONDS = 5;

  private final String taskId;
  private final String containerId;
  private final Path sandbox;
  private final DockerDaemon daemon;
  private final ExecutorService blocking;
  private final ScheduledExecutorService timers;
  private final CompletableFuture<Termination> termination = new CompletableFuture<>();
  private final AtomicBoolean exited = new AtomicBoolean();
  private volatile boolean killRequested;
  private volatile boolean detached;
  private volatile Duration grace;
  private volatile SandboxLogs logs;

  private DockerContainer(String taskId, String containerId, Path sandbox, DockerDaemon daemon,
      ExecutorService blocking, ScheduledExecutorService timers) {
    this.taskId = taskId;
    this.containerId = containerId;
    this.sandbox = sandbox;
    this.daemon = daemon;
    this.blocking = blocking;
    this.timers = timers;
  }

  /**
   * Starts watching a created (and usually started) container.
   *
   * @param resume whether the sandbox's files already hold the start of the container's output
   */
  static DockerContainer watch(String taskId, String containerId, Path sandbox,
      DockerDaemon daemon, ExecutorService blocking, ScheduledExecutorService timers,
      boolean resume) throws IOException {
    DockerContainer c = new DockerContainer(taskId, containerId, sandbox, daemon, blocking,
        timers);
    c.follow(resume);
    c.awaitExit(0);
    return c;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  String containerId() {
    return containerId;
  }

  @Override
  public CompletableFuture<Termination> termination() {
    return termination;
  }

  @Override
  public void kill(Duration gracePeriod) {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (exited.get()) {
      return;
    }
    killRequested = true;
    grace = gracePeriod;
    int seconds = (int) Math.min(Integer.MAX_VALUE,
        (Math.max(0, gracePeriod.toMillis()) + 999) / 1000);
    LOG.debug("task {}: stopping container {} (SIGKILL after {} s)", taskId, containerId,
        seconds);
    blocking.execute(() -> {
      try {
        daemon.client().stopContainerCmd(containerId).withTimeout(seconds).exec();
      } catch (NotModifiedException | NotFoundException e) {
        LOG.debug("task {}: container {} was already stopped", taskId, containerId);
      } catch (RuntimeException e) {
        LOG.warn("task {}: cannot stop container {}: {}; killing it", taskId, containerId,
            DockerDaemon.rootMessage(e));
        try {
          daemon.client().killContainerCmd(containerId).exec();
        } catch (RuntimeException again) {
          LOG.warn("task {}: cannot kill container {} either: {}", taskId, containerId,
              DockerDaemon.rootMessage(again));
        }
      }
    });
  }

  /** Commands (COMMAND health checks) run inside the container, through {@code docker exec}. */
  @Override
  public Optional<CommandRunner> commandRunner() {
    return Optional.of((command, environment) -> ContainerExec.start(daemon, containerId, command,
        environment, blocking));
  }

  /**
   * Stops watching without touching the container, as an agent that exits does; a new
   * containerizer recovers it.
   */
  void detach() {
    detached = true;
    SandboxLogs stream = logs;
    if (stream != null) {
      stream.onComplete();
    }
  }

  private void follow(boolean resume) throws IOException {
    SandboxLogs stream = SandboxLogs.into(taskId, sandbox, resume);
    logs = stream;
    daemon.client().logContainerCmd(containerId)
        .withStdOut(true).withStdErr(true).withFollowStream(true).exec(stream);
    stream.ended().thenRun(() -> {
      if (!exited.get() && !detached) {
        // The stream broke while the container runs (a daemon restart, say): follow again.
        timers.schedule(() -> blocking.execute(this::refollow), RETRY_MS, TimeUnit.MILLISECONDS);
      }
    });
  }

  private void refollow() {
    if (exited.get() || detached) {
      return;
    }
    try {
      follow(true);
    } catch (IOException | RuntimeException e) {
      LOG.warn("task {}: cannot follow the logs of container {} again: {}", taskId,
          containerId, e.toString());
    }
  }

  private void awaitExit(int attempt) {
    daemon.client().waitContainerCmd(containerId).exec(new ResultCallback.Adapter<WaitResponse>() {
      private final AtomicBoolean answered = new AtomicBoolean();

      @Override
      public void onNext(WaitResponse response) {
        Integer code = response.getStatusCode();
        if (answered.compareAndSet(false, true) && !detached) {
          blocking.execute(() -> onExit(code));
        }
      }

      @Override
      public void onError(Throwable error) {
        if (answered.compareAndSet(false, true) && !detached) {
          blocking.execute(() -> onWaitFailed(error, attempt));
        }
      }

      @Override
      public void onComplete() {
        super.onComplete();
        if (answered.compareAndSet(false, true) && !detached) {
          IOException closed = new IOException("the daemon closed the wait without an exit code");
          blocking.execute(() -> onWaitFailed(closed, attempt));
        }
      }
    });
  }

  private void onWaitFailed(Throwable error, int attempt) {
    if (detached) {
      return;
    }
    if (error instanceof NotFoundException) {
      finish(new Termination(null, killRequested, "container " + containerId
          + " disappeared (removed outside the agent?)"));
      return;
    }
    InspectContainerResponse state = inspect();
    if (state != null && !Boolean.TRUE.equals(state.getState().getRunning())) {
      Long code = state.getState().getExitCodeLong();
      onExit(code == null ? null : code.intValue());
    } else if (attempt < RETRIES) {
      LOG.debug("task {}: waiting for container {} failed ({}); waiting again", taskId,
          containerId, error.toString());
      timers.schedule(() -> awaitExit(attempt + 1), RETRY_MS, TimeUnit.MILLISECONDS);
    } else {
      finish(new Termination(null, killRequested, "lost contact with the Docker daemon at "
          + daemon.host() + " while container " + containerId + " ran: "
          + DockerDaemon.rootMessage(error)));
    }
  }

  private void onExit(Integer code) {
    if (detached || !exited.compareAndSet(false, true)) {
      return;
    }
    SandboxLogs stream = logs;
    try {
      stream.ended().get(LOG_DRAIN_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.debug("task {}: log stream still open {} s after the exit; closing it", taskId,
          LOG_DRAIN_SECONDS);
      stream.onComplete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    InspectContainerResponse state = inspect();
    boolean oom = state != null && Boolean.TRUE.equals(state.getState().getOOMKilled());
    Long limit = state == null || state.getHostConfig() == null ? null
        : state.getHostConfig().getMemory();
    remove();
    finish(describe(code, oom, limit));
  }

  private Termination describe(Integer code, boolean oom, Long limit) {
    if (killRequested) {
      Duration g = grace;
      String how = code != null && code == 137 && g != null
          ? "SIGKILL after a grace period of " + format(g) : "SIGTERM";
      return new Termination(code, true, "killed by the agent (" + how + ")");
    }
    if (oom) {
      String max = limit == null || limit == 0 ? "" : " of " + (limit >> 20) + " MB";
      return new Termination(code, false, "killed by the kernel: out of memory (limit" + max
          + ")");
    }
    if (code == null) {
      return new Termination(null, false, "ended with an unknown exit status");
    }
    String hint = code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "";
    return new Termination(code, false, "exited with status " + code + hint);
  }

  private InspectContainerResponse inspect() {
    try {
      return daemon.client().inspectContainerCmd(containerId).exec();
    } catch (RuntimeException e) {
      LOG.debug("task {}: cannot inspect container {}: {}", taskId, containerId, e.toString());
      return null;
    }
  }

  private void remove() {
    try {
      daemon.client().removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true)
          .exec();
    } catch (NotFoundException e) {
      LOG.debug("task {}: container {} is already gone", taskId, containerId);
    } catch (RuntimeException e) {
      LOG.warn("task {}: cannot remove container {}: {}; remove it with docker rm -f {}",
          taskId, containerId, DockerDaemon.rootMessage(e), containerId);
    }
  }

  private void finish(Termination result) {
    exited.set(true);
    LOG.debug("task {}: container {} {}", taskId, containerId, result.message());
    termination.complete(result);
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  @Override
  public String toString() {
    return "DockerContainer[task=" + taskId + ", container=" + containerId + "]";
  }
}
