package io.trellis.agent.containerizer;

import io.trellis.agent.containerizer.Cgroups.TaskCgroup;
import io.trellis.api.ContainerSpec;
import io.trellis.core.resource.Resources;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs plain commands as host processes, each in its own session and process group and, where the
 * host allows, in its own cgroup limited to the task's cpus and mem. The task's pid and start
 * time are checkpointed in its sandbox so that a restarted agent can find it again.
 *
 * <p>Settings: {@code cgroups_root} (default {@code trellis}) names the directory under each
 * cgroup hierarchy that holds the agents' cgroups; {@code cgroups=off} runs tasks without limits.
 */
public final class ProcessContainerizer implements Containerizer {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessContainerizer.class);
  private static final Set<String> TYPES = Set.of("MESOS", "PROCESS");
  private static final long POLL_MS = 100;

  private final ScheduledExecutorService executor;
  private final Path mountinfo;
  private volatile HostTools tools;
  private volatile Cgroups cgroups;
  private volatile Path workDir;
  /** The user tasks run as when their command names none; null for the agent's own user. */
  private volatile String taskUser;

  /** The containerizer as {@link java.util.ServiceLoader} creates it. */
  public ProcessContainerizer() {
    this(Path.of("/proc/self/mountinfo"));
  }

  ProcessContainerizer(Path mountinfo) {
    this.mountinfo = mountinfo;
    ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "process-containerizer");
      t.setDaemon(true);
      return t;
    });
    timers.setKeepAliveTime(10, TimeUnit.SECONDS);
    timers.allowCoreThreadTimeOut(true);
    timers.setRemoveOnCancelPolicy(true);
    this.executor = timers;
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public void initialize(ContainerizerContext context) {
    tools = new HostTools(System.getenv("PATH"));
    workDir = context.workDir();
    taskUser = checkedTaskUser(context.settings().get(TASK_USER), workDir);
    if ("off".equalsIgnoreCase(context.settings().get("cgroups"))) {
      cgroups = Cgroups.none("turned off by the setting cgroups=off");
    } else {
      String root = context.settings().getOrDefault("cgroups_root", "trellis");
      cgroups = new CgroupDetector(root, context.agentId()).detect(mountinfo);
    }
    if (cgroups.support().enabled()) {
      LOG.info("process containerizer limits tasks with {}", cgroups.support().describe());
    } else {
      LOG.info("process containerizer runs tasks without cgroup limits: {}",
          cgroups.support().missing());
    }
  }

  /**
   * The configured task user, checked: it exists and may reach the sandboxes. An agent not
   * running as root cannot switch users, so its tasks run as its own user whatever is configured.
   */
  private String checkedTaskUser(String user, Path work) {
    if (user == null || user.isBlank()) {
      return null;
    }
    String name = user.trim();
    String self = System.getProperty("user.name");
    if (name.equals(self)) {
      return null;
    }
    if (!HostTools.runningAsRoot()) {
      LOG.warn("tasks run as '{}', the agent's own user, not as the task user '{}': only an agent running as root"
          + " can switch users", self, name);
      return null;
    }
    if (!tools.userExists(name)) {
      throw new IllegalArgumentException("the task user '" + name + "' does not exist on this host; create it or"
          + " choose another with --task-user");
    }
    if (work != null && !tools.mayEnter(name, work)) {
      throw new IllegalArgumentException("tasks run as '" + name + "' but that user cannot enter the agent's work"
          + " directory " + work + " (a directory on the way is closed to it); use a --work-dir it can reach"
          + " (such as /var/lib/trellis/agent) or another --task-user");
    }
    LOG.info("tasks run as '{}' unless their command names another user", name);
    return name;
  }

  /** The setting naming the user tasks run as when their command names none. */
  static final String TASK_USER = "task-user";

  /** What cgroup support {@link #initialize} found on this host. */
  public CgroupSupport cgroupSupport() {
    return initialized().support();
  }

  @Override
  public boolean supports(LaunchRequest request) {
    ContainerSpec container = request.task().container();
    return container == null || container.type() == null
        || TYPES.contains(container.type().toUpperCase(Locale.ROOT));
  }

  @Override
  public Container launch(LaunchRequest request) throws ContainerException {
    Cgroups limits = initialized();
    String taskId = request.task().taskId();
    Path sandbox = request.sandbox();
    try {
      Files.createDirectories(Checkpoint.metaDir(sandbox));
      Files.deleteIfExists(Checkpoint.exitFile(sandbox));
    } catch (IOException e) {
      throw new ContainerException("cannot prepare sandbox " + sandbox + " of task " + taskId
          + ": " + e + "; check that the agent's work directory is writable", e);
    }
    Resources resources = request.resources() == null ? Resources.empty() : request.resources();
    TaskCgroup cgroup = limits.create(taskId, resources.scalar(Resources.CPUS),
        resources.scalar(Resources.MEM));
    Process process;
    try {
      String agentUser = System.getProperty("user.name");
      boolean root = HostTools.runningAsRoot();
      TaskCommand command = TaskCommand.of(request, tools, cgroup.procsFiles(), agentUser, root, taskUser);
      String user = TaskUser.of(request.task().command(), taskUser);
      if (user != null && root && !user.equals(agentUser)) {
        SandboxOwner.give(sandbox, user);
      }
      ProcessBuilder builder = new ProcessBuilder(command.argv())
          .directory(sandbox.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stdout").toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(sandbox.resolve("stderr").toFile()));
      builder.environment().clear();
      builder.environment().putAll(command.environment());
      process = builder.start();
    } catch (IOException e) {
      cgroup.tryRemove();
      throw new ContainerException("cannot start task " + taskId + " in " + sandbox + ": " + e
          + "; check that the sandbox is writable and setsid and /bin/sh run", e);
    } catch (ContainerException e) {
      cgroup.tryRemove();
      throw e;
    }
    long pid = process.pid();
    long startTime = ProcStat.read(pid).map(ProcStat::startTime).orElse(-1L);
    try {
      new Checkpoint(taskId, pid, startTime, cgroup.dirs()).write(sandbox);
    } catch (IOException e) {
      tools.signalGroup(pid, "KILL");
      throw new ContainerException("task " + taskId + " started but its checkpoint cannot be"
          + " written in " + sandbox + " (" + e + "), so it was killed; check the sandbox", e);
    }
    LOG.debug("task {} started as process group {} in {}", taskId, pid, sandbox);
    CompletableFuture<Integer> exit = process.onExit().thenApply(Process::exitValue);
    return ProcessContainer.watch(taskId, sandbox, pid, cgroup, tools, executor,
        process::isAlive, exit, true);
  }

  /**
   * Reattaches the tasks checkpointed in {@code known}, then destroys what an earlier agent on
   * this work directory left running that no checkpoint knows (see {@link Orphans}).
   */
  @Override
  public List<Container> recover(List<Path> known) {
    Cgroups limits = initialized();
    List<Container> found = new ArrayList<>();
    java.util.Set<Path> running = new java.util.HashSet<>();
    java.util.Set<Path> knownCgroups = new java.util.HashSet<>();
    for (Path sandbox : known) {
      Optional<Checkpoint> checkpoint;
      try {
        checkpoint = Checkpoint.read(sandbox);
      } catch (IllegalStateException e) {
        LOG.warn("not recovering the task in {}: {}", sandbox, e.getMessage());
        continue;
      }
      checkpoint.ifPresent(c -> {
        found.add(reattach(sandbox, c));
        knownCgroups.addAll(c.cgroupDirs());
        if (ProcStat.isRunning(c.pid(), c.startTime())) {
          running.add(sandbox);
        }
      });
    }
    if (workDir != null) {
      Orphans.destroy(workDir, running, knownCgroups, limits, tools);
    }
    return found;
  }

  private Container reattach(Path sandbox, Checkpoint c) {
    TaskCgroup cgroup = new TaskCgroup(c.cgroupDirs());
    boolean running = ProcStat.isRunning(c.pid(), c.startTime());
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    if (running) {
      ScheduledFuture<?> poll = executor.scheduleWithFixedDelay(() -> {
        if (!ProcStat.isRunning(c.pid(), c.startTime())) {
          exit.complete(null);
        }
      }, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
      exit.whenComplete((status, error) -> poll.cancel(false));
    } else {
      exit.complete(null);
    }
    LOG.debug("recovered task {} (pid {}, {})", c.taskId(), c.pid(), running ? "running" : "ended");
    return ProcessContainer.watch(c.taskId(), sandbox, c.pid(), cgroup, tools, executor,
        () -> ProcStat.isRunning(c.pid(), c.startTime()), exit, running);
  }

  private Cgroups initialized() {
    Cgroups current = cgroups;
    if (current == null) {
      throw new IllegalStateException("the process containerizer is not initialized;"
          + " call initialize(context) before using it");
    }
    return current;
  }
}
