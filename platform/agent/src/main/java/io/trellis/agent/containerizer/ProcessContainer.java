package io.trellis.agent.containerizer;

import io.trellis.agent.containerizer.Cgroups.TaskCgroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task running in its own process group under the wrapper, its group leader. When the leader
 * exits, whatever the task left behind in its group or cgroup is killed and the cgroup removed;
 * then {@link #termination()} completes.
 */
final class ProcessContainer implements Container {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessContainer.class);
  private static final long CLEANUP_RETRY_MS = 20;
  private static final int CLEANUP_ATTEMPTS = 250;

  private final String taskId;
  private final Path sandbox;
  private final long pid;
  private final TaskCgroup cgroup;
  private final HostTools tools;
  private final ScheduledExecutorService executor;
  private final BooleanSupplier leaderRunning;
  private final boolean groupMayRemain;
  private final CompletableFuture<Termination> termination = new CompletableFuture<>();
  private final AtomicBoolean killRequested = new AtomicBoolean();
  private volatile boolean leaderExited;
  private volatile Duration forcedAfter;

  private ProcessContainer(String taskId, Path sandbox, long pid, TaskCgroup cgroup,
      HostTools tools, ScheduledExecutorService executor, BooleanSupplier leaderRunning,
      boolean groupMayRemain) {
    this.taskId = taskId;
    this.sandbox = sandbox;
    this.pid = pid;
    this.cgroup = cgroup;
    this.tools = tools;
    this.executor = executor;
    this.leaderRunning = leaderRunning;
    this.groupMayRemain = groupMayRemain;
  }

  /**
   * Watches a group leader.
   *
   * @param leaderExit completes when the leader has exited, with its exit value when known
   * @param groupMayRemain whether members of the leader's group may still run (false when the
   *     leader ended long ago, as its pid may since name another group)
   */
  static ProcessContainer watch(String taskId, Path sandbox, long pid, TaskCgroup cgroup,
      HostTools tools, ScheduledExecutorService executor, BooleanSupplier leaderRunning,
      CompletableFuture<Integer> leaderExit, boolean groupMayRemain) {
    ProcessContainer c = new ProcessContainer(taskId, sandbox, pid, cgroup, tools, executor,
        leaderRunning, groupMayRemain);
    leaderExit.whenCompleteAsync((status, error) -> c.onLeaderExit(status), executor);
    return c;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  /** The wrapper's pid, which is also the id of the task's process group. */
  long pid() {
    return pid;
  }

  TaskCgroup cgroup() {
    return cgroup;
  }

  @Override
  public CompletableFuture<Termination> termination() {
    return termination;
  }

  @Override
  public void kill(Duration gracePeriod) {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    if (leaderExited || termination.isDone()) {
      return;
    }
    if (killRequested.compareAndSet(false, true)) {
      LOG.debug("task {}: SIGTERM to process group {}, SIGKILL after {}", taskId, pid,
          gracePeriod);
      signalGroup("TERM");
    }
    long delay = Math.max(0, gracePeriod.toMillis());
    executor.schedule(() -> forceKill(gracePeriod), delay, TimeUnit.MILLISECONDS);
  }

  private void forceKill(Duration gracePeriod) {
    if (leaderExited || termination.isDone()) {
      return;
    }
    LOG.info("task {} still runs {} after SIGTERM; sending SIGKILL to process group {}", taskId,
        gracePeriod, pid);
    forcedAfter = gracePeriod;
    signalGroup("KILL");
  }

  private void signalGroup(String signal) {
    if (leaderRunning.getAsBoolean()) {
      tools.signalGroup(pid, signal);
    }
  }

  private void onLeaderExit(Integer leaderStatus) {
    leaderExited = true;
    Termination result = describe(Checkpoint.readExitStatus(sandbox), leaderStatus);
    cleanUp(0, result);
  }

  /** Kills what the task left behind and removes its cgroup, retrying while the kernel catches up. */
  private void cleanUp(int attempt, Termination result) {
    boolean groupGone = true;
    if (groupMayRemain && ProcStat.groupHasMembers(pid)) {
      tools.signalGroup(pid, "KILL");
      groupGone = false;
    }
    boolean cgroupGone = cgroup.tryRemove();
    if ((groupGone && cgroupGone) || attempt >= CLEANUP_ATTEMPTS) {
      if (!groupGone || !cgroupGone) {
        LOG.warn("task {}: {} still busy after the task ended; remove it by hand if it stays",
            taskId, groupGone ? "cgroup " + cgroup.dirs() : "process group " + pid);
      }
      LOG.debug("task {} {}", taskId, result.message());
      termination.complete(result);
    } else {
      executor.schedule(() -> cleanUp(attempt + 1, result), CLEANUP_RETRY_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  private Termination describe(Integer recorded, Integer leaderStatus) {
    if (killRequested.get()) {
      Duration forced = forcedAfter;
      String how = forced == null ? "SIGTERM"
          : "SIGKILL after a grace period of " + format(forced);
      return new Termination(recorded, true, "killed by the agent (" + how + ")");
    }
    if (recorded != null) {
      String hint = recorded > 128 && recorded < 160
          ? " (the shell's status for signal " + (recorded - 128) + ")" : "";
      return new Termination(recorded, false, "exited with status " + recorded + hint);
    }
    if (leaderStatus != null && leaderStatus > 128) {
      return new Termination(null, false, "killed by signal " + (leaderStatus - 128));
    }
    if (leaderStatus != null) {
      return new Termination(leaderStatus, false, "exited with status " + leaderStatus);
    }
    return new Termination(null, false, "ended with an unknown exit status (no "
        + Checkpoint.exitFile(sandbox) + ")");
  }

  private static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  @Override
  public String toString() {
    return "ProcessContainer[task=" + taskId + ", pid=" + pid + "]";
  }
}
