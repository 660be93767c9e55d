package io.trellis.agent;

import io.trellis.agent.containerizer.Container;
import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.agent.containerizer.ContainerException;
import io.trellis.agent.containerizer.Containerizer;
import io.trellis.agent.containerizer.ContainerizerContext;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.agent.containerizer.Termination;
import io.trellis.agent.health.HealthChecks;
import io.trellis.api.AgentProtocol;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One machine's agent: runs the tasks the master launches in containerizers, reports their
 * states (checkpointed, retried until acknowledged) and recovers them after a restart. One
 * thread owns the task table; HTTP and containerizer threads submit to it.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  final AgentConfig config;
  final Resources total;
  final Attributes attributes;
  final Checkpoints checkpoints;
  /** The newest leader epoch seen: calls of older masters are refused. */
  final LeaderEpochs epochs = new LeaderEpochs();
  private final List<Containerizer> containerizers = new ArrayList<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "trellis-agent");
    t.setDaemon(true);
    return t;
  });
  final Map<String, RunningTask> tasks = new LinkedHashMap<>();
  private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
  private MasterLink master;
  private volatile String endpoint;
  private final HealthChecks health;
  /** Starts tasks in containerizers, a few at a time, off the agent's thread. */
  private final java.util.concurrent.ExecutorService launcher = Executors.newFixedThreadPool(4, r -> {
    Thread th = new Thread(r, "trellis-agent-launcher");
    th.setDaemon(true);
    return th;
  });
  /** How long a launch may take before its STARTING update is sent. */
  static final long STARTING_DELAY_MS = 200;

  /** The reason of the RUNNING updates that report a change of health. */
  public static final String REASON_HEALTH_CHECK = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";

  /** A task on this agent. */
  static final class RunningTask {
    final AgentProtocol.Launch launch;
    final Path dir;
    Container container;
    TaskState state = TaskState.STARTING;
    boolean killRequested;
    /** The task's health as last reported; null without checks or before the first verdict. */
    Boolean healthy;
    /** When the containerizer was asked to start it; 0 once it has answered or after a restart. */
    long launchingSince;
    /** The latest status recorded, reported when the agent registers again; null before the first. */
    TaskStatus latest;
    /** Updates not yet acknowledged, oldest first; mirrored on disk by {@link Checkpoints}. */
    final java.util.ArrayDeque<TaskStatus> pending = new java.util.ArrayDeque<>();

    RunningTask(AgentProtocol.Launch launch, Path dir) {
      this.launch = launch;
      this.dir = dir;
    }
  }

  public Agent(AgentConfig config, Resources total, Attributes attributes) {
    this.config = config;
    this.total = total;
    this.attributes = attributes;
    this.checkpoints = new Checkpoints(config.workDir());
    for (Containerizer c : ServiceLoader.load(Containerizer.class)) {
      containerizers.add(c);
    }
    if (containerizers.isEmpty()) {
      throw new IllegalStateException("no containerizer found on the classpath: the agent cannot run tasks");
    }
    this.health = new HealthChecks(InstantSource.system(),
        (key, healthy, message) -> call(() -> {
          healthChanged(key, healthy, message);
          return null;
        }));
  }

  /** Recovers checkpointed tasks and starts registering with the master at {@code endpoint}. */
  public void start(String advertisedEndpoint, MasterLink link) {
    this.endpoint = advertisedEndpoint;
    this.master = link;
    String id = checkpoints.agentId();
    ContainerizerContext context = new ContainerizerContext(id == null ? "agent" : id, config.workDir(), config.settings());
    containerizers.forEach(c -> c.initialize(context));
    call(() -> {
      recover();
      if (config.bootId() != null) {
        checkpoints.bootId(config.bootId());
      }
      return null;
    }).join();
    link.start(this);
  }

  public String endpoint() {
    return endpoint;
  }

  <T> CompletableFuture<T> call(Callable<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    if (loop.isShutdown()) {
      f.completeExceptionally(new IllegalStateException("the agent is stopping"));
      return f;
    }
    loop.execute(() -> {
      try {
        f.complete(work.call());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  ScheduledExecutorService loop() {
    return loop;
  }

  // Registration.

  AgentProtocol.Register registration() {
    List<AgentProtocol.RunningTask> running = new ArrayList<>();
    for (RunningTask t : tasks.values()) {
      running.add(new AgentProtocol.RunningTask(t.launch.frameworkId(), t.launch.role(), t.launch.task(), t.state,
          t.healthy, t.latest));
    }
    return new AgentProtocol.Register(checkpoints.agentId(), config.host(), endpoint, total.toString(),
        attributes.values(), running);
  }

  void registered(String agentId) {
    if (!agentId.equals(checkpoints.agentId())) {
      checkpoints.agentId(agentId);
    }
  }

  // Tasks.

  void launch(AgentProtocol.Launch launch) {
    String key = key(launch.frameworkId(), launch.task().taskId());
    if (tasks.containsKey(key)) {
      log.info("task {} is already here; ignoring a repeated launch", launch.task().taskId());
      return;
    }
    Path dir = checkpoints.taskDir(launch.frameworkId(), launch.task().taskId());
    RunningTask t = new RunningTask(launch, dir);
    tasks.put(key, t);
    try {
      checkpoints.launch(launch);
    } catch (java.io.UncheckedIOException e) {
      // Without its launch checkpoint the task could not be recovered: it is not started.
      update(t, TaskState.FAILED, "REASON_CONTAINER_LAUNCH_FAILED", DiskTrouble.describe(e, config.workDir()), null);
      return;
    }
    Path sandbox = checkpoints.sandbox(launch.frameworkId(), launch.task().taskId());
    Resources resources = Resources.parse(launch.task().resources());
    LaunchRequest request = new LaunchRequest(launch.frameworkId(), launch.task(), resources, sandbox,
        environment(launch, resources, sandbox));
    Containerizer containerizer = containerizers.stream().filter(c -> c.supports(request)).findFirst().orElse(null);
    if (containerizer == null) {
      update(t, TaskState.FAILED, "REASON_CONTAINER_LAUNCH_FAILED",
          "no containerizer on this agent runs tasks of container type "
              + (launch.task().container() == null ? "none" : launch.task().container().type()), null);
      return;
    }
    // STARTING waits a moment before it is sent: a launch that is done by then goes straight to
    // RUNNING, sparing a round trip; a slow one (an image pull) reports STARTING meanwhile.
    record(t, TaskState.STARTING, null, null, null);
    t.launchingSince = System.nanoTime();
    loop.schedule(() -> {
      if (t.state == TaskState.STARTING && master != null) {
        master.flush(this);
      }
    }, STARTING_DELAY_MS, TimeUnit.MILLISECONDS);
    // Containerizers start tasks off this thread, several at once; the result comes back here.
    CompletableFuture.supplyAsync(() -> {
      try {
        Files.createDirectories(sandbox);
        return containerizer.launch(request);
      } catch (ContainerException | java.io.IOException e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, launcher).whenComplete((container, failure) -> loop.execute(() -> launched(t, container, failure, sandbox, resources)));
  }

  private void launched(RunningTask t, Container container, Throwable failure, Path sandbox, Resources resources) {
    t.launchingSince = 0;
    if (failure != null) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (!t.state.isTerminal()) {
        dropUnsentStarting(t);
        update(t, TaskState.FAILED, "REASON_CONTAINER_LAUNCH_FAILED", DiskTrouble.describe(cause, config.workDir()),
            null);
      }
      return;
    }
    t.container = container;
    if (t.state.isTerminal()) {
      // Killed while it was starting: KILLED is already reported; stop what started.
      container.kill(Duration.ZERO);
      return;
    }
    dropUnsentStarting(t);
    update(t, TaskState.RUNNING, null, null, null);
    watch(t);
    checkHealth(t, sandbox, resources);
  }

  /** Forgets a STARTING update not sent yet: the RUNNING or FAILED that follows says more. */
  private void dropUnsentStarting(RunningTask t) {
    t.pending.removeIf(s -> {
      boolean drop = s.state() == TaskState.STARTING && !sentAt.containsKey(s.uuid());
      if (drop) {
        checkpoints.acknowledged(t.launch.frameworkId(), s.taskId(), s.uuid());
      }
      return drop;
    });
  }

  /** Starts the task's health checks, if it has any; a recovered task resumes its checks. */
  private void checkHealth(RunningTask t, Path sandbox, Resources resources) {
    if (t.launch.task().healthChecks().isEmpty()) {
      return;
    }
    Map<String, String> env = new LinkedHashMap<>(environment(t.launch, resources, sandbox));
    if (t.launch.task().command() != null) {
      env.putAll(t.launch.task().command().environment());
    }
    CommandRunner runner = t.container == null ? null : t.container.commandRunner().orElse(null);
    List<String> runAs = List.of();
    if (runner == null) {
      try {
        // Command checks come with the task's definition: on the host they run as the task's user.
        runAs = io.trellis.agent.containerizer.RunAs.words(t.launch.task().command(), config.taskUser());
      } catch (ContainerException e) {
        log.warn("not checking the health of task {}: {}", t.launch.task().taskId(), e.getMessage());
        return;
      }
    }
    health.start(key(t.launch.frameworkId(), t.launch.task().taskId()), t.launch.task().healthChecks(),
        new HealthChecks.Target(config.host(), sandbox, env, runner, runAs), t.healthy);
  }

  /** A change of a running task's health: a RUNNING update carrying it. */
  void healthChanged(String key, boolean healthy, String message) {
    RunningTask t = tasks.get(key);
    if (t == null || t.state != TaskState.RUNNING || t.killRequested) {
      return;
    }
    t.healthy = healthy;
    dropUnsentHealthUpdates(t);
    update(t, TaskState.RUNNING, REASON_HEALTH_CHECK, message, null);
  }

  /**
   * Forgets the task's health updates that were not sent yet: a newer health update or a terminal
   * update supersedes them. An update in flight stays until the master acknowledges it.
   */
  private void dropUnsentHealthUpdates(RunningTask t) {
    TaskStatus head = t.pending.peekFirst();
    t.pending.removeIf(s -> {
      boolean drop = REASON_HEALTH_CHECK.equals(s.reason()) && s.state() == TaskState.RUNNING
          && !(s == head && sentAt.containsKey(s.uuid()));
      if (drop) {
        checkpoints.acknowledged(t.launch.frameworkId(), s.taskId(), s.uuid());
      }
      return drop;
    });
  }

  private Map<String, String> environment(AgentProtocol.Launch launch, Resources resources, Path sandbox) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TRELLIS_TASK_ID", launch.task().taskId());
    env.put("TRELLIS_FRAMEWORK_ID", launch.frameworkId());
    env.put("TRELLIS_SANDBOX", sandbox.toString());
    env.put("MESOS_SANDBOX", sandbox.toString());
    env.put("HOST", config.host());
    Ranges ports = resources.ranges(Resources.PORTS);
    List<String> list = new ArrayList<>();
    for (int i = 0; i < ports.intervalCount(); i++) {
      for (long p = ports.begin(i); p <= ports.end(i); p++) {
        env.put("PORT" + list.size(), Long.toString(p));
        list.add(Long.toString(p));
      }
    }
    if (!list.isEmpty()) {
      env.put("PORT", list.get(0));
    }
    env.put("PORTS", String.join(",", list));
    return env;
  }

  private void watch(RunningTask t) {
    t.container.termination().whenComplete((end, failure) -> loop.execute(() -> {
      health.stop(key(t.launch.frameworkId(), t.launch.task().taskId()));
      Termination term = end != null ? end : new Termination(null, false, "lost track of the task: " + failure);
      if (t.killRequested || term.killed()) {
        update(t, TaskState.KILLED, "REASON_TASK_KILLED", term.message(), term.exitCode());
      } else if (term.exitCode() != null && term.exitCode() == 0) {
        update(t, TaskState.FINISHED, null, term.message(), 0);
      } else {
        update(t, TaskState.FAILED, "REASON_COMMAND_EXECUTOR_FAILED", term.message(), term.exitCode());
      }
    }));
  }

  void kill(AgentProtocol.Kill kill) {
    RunningTask t = tasks.get(key(kill.frameworkId(), kill.taskId()));
    if (t == null) {
      log.info("kill of unknown task {}", kill.taskId());
      return;
    }
    if (t.state.isTerminal()) {
      return;
    }
    t.killRequested = true;
    health.stop(key(kill.frameworkId(), kill.taskId()));
    Duration grace = kill.gracePeriodSeconds() == null ? config.killGracePeriod()
        : Duration.ofMillis((long) (kill.gracePeriodSeconds() * 1000));
    // Checkpointed first: an agent restarted before the task ends finishes the kill. A kill that
    // cannot be checkpointed (a full disk) is carried out all the same.
    try {
      checkpoints.killRequested(kill.frameworkId(), kill.taskId(),
          new Checkpoints.KillRequest(System.currentTimeMillis(), grace.toMillis()));
    } catch (java.io.UncheckedIOException e) {
      log.error("cannot checkpoint the kill of task {} ({}); killing it all the same", kill.taskId(),
          DiskTrouble.describe(e, config.workDir()));
    }
    if (t.container != null) {
      t.container.kill(grace);
    } else {
      dropUnsentStarting(t);
      update(t, TaskState.KILLED, "REASON_TASK_KILLED", "killed before it started", null);
    }
  }

  void acknowledge(AgentProtocol.Acknowledge ack) {
    acknowledge(List.of(ack));
  }

  /** Forgets the acknowledged updates, then sends what is next in one go. */
  void acknowledge(List<AgentProtocol.Acknowledge> acks) {
    Map<String, RunningTask> byTaskId = acks.size() > 1 ? new java.util.HashMap<>() : null;
    if (byTaskId != null) {
      for (RunningTask t : tasks.values()) {
        byTaskId.putIfAbsent(t.launch.task().taskId(), t);
      }
    }
    for (AgentProtocol.Acknowledge ack : acks) {
      log.debug("acknowledged {} {}", ack.taskId(), ack.uuid());
      RunningTask t = byTaskId != null ? byTaskId.get(ack.taskId()) : find(ack.taskId());
      if (t == null || ack.uuid() == null) {
        continue;
      }
      checkpoints.acknowledged(t.launch.frameworkId(), ack.taskId(), ack.uuid());
      sentAt.remove(ack.uuid());
      t.pending.removeIf(p -> p.uuid().equals(ack.uuid()));
      if (t.state.isTerminal() && t.pending.isEmpty()) {
        tasks.remove(key(t.launch.frameworkId(), ack.taskId()));
        if (byTaskId != null) {
          byTaskId.remove(ack.taskId());
        }
      }
    }
    if (master != null) {
      master.flush(this);
    }
  }

  private RunningTask find(String taskId) {
    for (RunningTask t : tasks.values()) {
      if (t.launch.task().taskId().equals(taskId)) {
        return t;
      }
    }
    return null;
  }

  private void update(RunningTask t, TaskState state, String reason, String message, Integer exitCode) {
    record(t, state, reason, message, exitCode);
    if (master != null) {
      master.flush(this);
    }
  }

  /** Records and checkpoints an update without sending it yet. */
  private void record(RunningTask t, TaskState state, String reason, String message, Integer exitCode) {
    t.state = state;
    if (state.isTerminal()) {
      dropUnsentHealthUpdates(t);
    }
    TaskStatus s = new TaskStatus(t.launch.task().taskId(), t.launch.frameworkId(),
        checkpoints.agentId(), state, reason, message, exitCode, UUID.randomUUID().toString(),
        System.currentTimeMillis() / 1000.0, state.isTerminal() ? null : t.healthy);
    t.latest = s;
    try {
      checkpoints.latest(t.launch.frameworkId(), s);
      checkpoints.pending(t.launch.frameworkId(), sequence.incrementAndGet(), s);
    } catch (java.io.UncheckedIOException e) {
      // Never dropped: the update goes to the master from memory and is retried until
      // acknowledged; only an agent restart before that would lose it.
      log.error("cannot checkpoint the {} update of task {} ({}); sending it without a checkpoint", state,
          s.taskId(), DiskTrouble.describe(e, config.workDir()));
    }
    t.pending.addLast(s);
    if (REASON_HEALTH_CHECK.equals(reason)) {
      log.info("task {} is {}: {}", s.taskId(), t.healthy ? "healthy" : "unhealthy", message);
    } else {
      log.info("task {} is {}{}", s.taskId(), state, message == null ? "" : ": " + message);
    }
  }

  /** When each in-flight update was last sent, by uuid; an update is in flight until acknowledged. */
  private final Map<String, Long> sentAt = new java.util.HashMap<>();

  /**
   * The updates to send now: per task, its oldest unacknowledged update (in order, one in flight
   * per task, as Mesos does), if it was never sent or, when {@code retry}, was sent longer ago
   * than the retry interval.
   */
  List<AgentProtocol.Update> updatesToSend(boolean retry) {
    long now = System.nanoTime();
    List<AgentProtocol.Update> out = new ArrayList<>();
    for (RunningTask t : tasks.values()) {
      TaskStatus s = t.pending.peekFirst();
      if (s != null && s.state() == TaskState.STARTING && t.launchingSince != 0
          && now - t.launchingSince < TimeUnit.MILLISECONDS.toNanos(STARTING_DELAY_MS)) {
        continue;
      }
      if (s != null) {
        Long at = sentAt.get(s.uuid());
        if (at == null || (retry && now - at > config.updateRetry().toNanos())) {
          out.add(new AgentProtocol.Update(checkpoints.agentId(), t.launch.frameworkId(), s));
        }
      }
    }
    return out;
  }

  void sent(String uuid) {
    sentAt.put(uuid, System.nanoTime());
  }

  /** A new master knows nothing in flight: everything pending goes again at once. */
  void resetInFlight() {
    sentAt.clear();
  }

  // Recovery.

  private void recover() {
    List<Path> dirs = checkpoints.taskDirs();
    // After a reboot no task survived: a pid in a checkpoint may now be another process, so
    // none is reattached and every task still live in the checkpoints is reported gone.
    String boot = config.bootId();
    String bootBefore = checkpoints.bootId();
    boolean rebooted = boot != null && bootBefore != null && !boot.equals(bootBefore);
    if (rebooted) {
      log.warn("the host rebooted since this agent last ran (boot id {} became {}): its tasks are gone",
          bootBefore, boot);
    }
    List<Path> sandboxes = rebooted ? List.of() : dirs.stream().map(d -> d.resolve("sandbox")).toList();
    Map<String, Container> found = new LinkedHashMap<>();
    for (Containerizer c : containerizers) {
      for (Container container : c.recover(sandboxes)) {
        found.put(container.taskId(), container);
      }
    }
    for (Path dir : dirs) {
      AgentProtocol.Launch launch = Checkpoints.read(dir.resolve("launch.json"), AgentProtocol.Launch.class);
      TaskStatus latest = Checkpoints.read(dir.resolve("state.json"), TaskStatus.class);
      List<TaskStatus> pending = Checkpoints.pending(dir);
      if (latest != null && latest.state().isTerminal() && pending.isEmpty()) {
        continue;
      }
      RunningTask t = new RunningTask(launch, dir);
      t.pending.addAll(pending);
      t.state = latest == null ? TaskState.STARTING : latest.state();
      t.latest = latest;
      t.healthy = latest == null ? null : latest.healthy();
      tasks.put(key(launch.frameworkId(), launch.task().taskId()), t);
      Container c = found.get(launch.task().taskId());
      Checkpoints.KillRequest kill = Checkpoints.killRequest(dir);
      t.killRequested = kill != null;
      if (c != null && !t.state.isTerminal()) {
        t.container = c;
        log.info("recovered task {} ({}{})", launch.task().taskId(), t.state,
            kill != null ? ", being killed" : "");
        watch(t);
        if (kill != null) {
          long left = kill.gracePeriodMillis() - (System.currentTimeMillis() - kill.requestedAtMillis());
          c.kill(Duration.ofMillis(Math.max(0, left)));
        } else if (t.state == TaskState.RUNNING) {
          checkHealth(t, dir.resolve("sandbox"), Resources.parse(launch.task().resources()));
        }
      } else if (!t.state.isTerminal() && rebooted) {
        update(t, TaskState.GONE, REASON_AGENT_REBOOTED, "the host rebooted while the task ran (boot id "
            + bootBefore + " became " + boot + "): the task is gone", null);
      } else if (!t.state.isTerminal() && kill != null) {
        update(t, TaskState.KILLED, "REASON_TASK_KILLED", "killed; it ended while the agent restarted", null);
      } else if (!t.state.isTerminal()) {
        update(t, TaskState.FAILED, "REASON_AGENT_RESTARTED", "the task was not running when the agent restarted", null);
      }
    }
  }

  /** The reason of the GONE updates for the tasks of a host that rebooted. */
  public static final String REASON_AGENT_REBOOTED = "REASON_AGENT_REBOOTED";

  static String key(String frameworkId, String taskId) {
    return frameworkId + "/" + taskId;
  }

  @Override
  public void close() {
    if (master != null) {
      master.close();
    }
    health.close();
    launcher.shutdownNow();
    loop.shutdownNow();
  }
}
