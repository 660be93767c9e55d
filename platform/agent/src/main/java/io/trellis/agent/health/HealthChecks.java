package io.trellis.agent.health;

import io.trellis.agent.containerizer.CommandRunner;
import io.trellis.api.HealthCheckSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health checks of an agent's tasks on one small scheduled executor: every check of
 * every task is a timer, and probes complete asynchronously (HTTP and TCP without a thread,
 * commands as child processes). Each check starts after its delay and again one interval after
 * the start of its previous probe, never two at once. Health changes go to the {@link Listener}
 * on the checks' thread.
 */
public final class HealthChecks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);

  /** Receives each change of a task's health. */
  public interface Listener {
    void changed(String taskKey, boolean healthy, String message);
  }

  /**
   * Where a task's checks run.
   *
   * @param host the address HTTP and TCP checks connect to (the agent's)
   * @param sandbox the working directory of command checks
   * @param environment the task's environment, given to command checks run on the host
   * @param runner where command checks run when the task has a filesystem of its own (a
   *     container), or null to run them on the host in the sandbox
   * @param runAs the words that run a command on the host as the task's user (empty: the agent's)
   */
  public record Target(String host, Path sandbox, Map<String, String> environment,
      CommandRunner runner, List<String> runAs) {
    public Target {
      environment = Map.copyOf(environment);
      runAs = runAs == null ? List.of() : List.copyOf(runAs);
    }

    /** Command checks on the host run as the agent's user. */
    public Target(String host, Path sandbox, Map<String, String> environment, CommandRunner runner) {
      this(host, sandbox, environment, runner, List.of());
    }

    /** A task that sees the host's filesystem: command checks run on the host. */
    public Target(String host, Path sandbox, Map<String, String> environment) {
      this(host, sandbox, environment, null);
    }
  }

  private final InstantSource clock;
  private final Listener listener;
  private final ScheduledThreadPoolExecutor executor;
  private final HttpClient http;
  private final HttpClient https;
  /** Checked tasks by key; touched on the executor's thread only. */
  private final Map<String, Checked> tasks = new HashMap<>();

  public HealthChecks(InstantSource clock, Listener listener) {
    this.clock = clock;
    this.listener = listener;
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "trellis-agent-health");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).sslContext(TrustingTls.context()).build();
  }

  /**
   * Starts checking a task that is running now.
   *
   * @param reported the health last reported for the task (after an agent restart), or null;
   *     only a different verdict is reported again
   */
  public void start(String taskKey, List<HealthCheckSpec> specs, Target target, Boolean reported) {
    if (specs.isEmpty()) {
      return;
    }
    Instant started = clock.instant();
    run(() -> {
      stopNow(taskKey);
      List<Probe> probes = new ArrayList<>();
      List<String> descriptions = new ArrayList<>();
      for (HealthCheckSpec spec : specs) {
        Probe p = probe(spec, target);
        probes.add(p);
        descriptions.add(p.description());
      }
      Checked c = new Checked(taskKey, specs, probes,
          new TaskHealth(specs, descriptions, started, clock, reported));
      tasks.put(taskKey, c);
      for (int i = 0; i < specs.size(); i++) {
        c.schedule(i, CheckTracker.seconds(Math.max(0, specs.get(i).delaySeconds())));
      }
      log.debug("checking the health of task {} with {}", taskKey, descriptions);
    });
  }

  /** Stops a task's checks and kills any probe still running; nothing if it has none. */
  public void stop(String taskKey) {
    run(() -> stopNow(taskKey));
  }

  /** Runs on the checks' thread; nothing once closed (the agent is stopping). */
  private void run(Runnable r) {
    try {
      executor.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      log.debug("health checks are closed: {}", closed.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    for (Checked c : tasks.values()) {
      c.cancel();
    }
  }

  private void stopNow(String taskKey) {
    Checked c = tasks.remove(taskKey);
    if (c != null) {
      c.cancel();
    }
  }

  private Probe probe(HealthCheckSpec spec, Target target) {
    Duration timeout = CheckTracker.seconds(spec.timeoutSeconds() > 0 ? spec.timeoutSeconds() : 20);
    String protocol = spec.protocol().toUpperCase(Locale.ROOT);
    return switch (protocol) {
      case "HTTP" -> new HttpProbe(http, "http", target.host(), port(spec), spec.path(), timeout);
      case "HTTPS" -> new HttpProbe(https, "https", target.host(), port(spec), spec.path(), timeout);
      case "TCP" -> new TcpProbe(target.host(), port(spec), timeout, executor);
      case "COMMAND" -> target.runner() != null
          ? new CommandProbe(command(spec), " in the container", target.runner(), timeout, executor)
          : new CommandProbe(command(spec), "", new HostCommands(target.sandbox(), target.environment(), target.runAs()),
              timeout, executor);
      default -> new Unrunnable("health check with protocol '" + spec.protocol() + "'",
          "cannot run: the protocol must be HTTP, HTTPS, TCP or COMMAND");
    };
  }

  private static String command(HealthCheckSpec spec) {
    return spec.command() == null ? "" : spec.command();
  }

  private static int port(HealthCheckSpec spec) {
    return spec.port() == null ? -1 : spec.port();
  }

  /** One task's checks. */
  private final class Checked {
    final String key;
    final List<HealthCheckSpec> specs;
    final List<Probe> probes;
    final TaskHealth health;
    final ScheduledFuture<?>[] timers;
    boolean stopped;

    Checked(String key, List<HealthCheckSpec> specs, List<Probe> probes, TaskHealth health) {
      this.key = key;
      this.specs = specs;
      this.probes = probes;
      this.health = health;
      this.timers = new ScheduledFuture<?>[specs.size()];
    }

    void schedule(int i, Duration delay) {
      if (!stopped && !executor.isShutdown()) {
        timers[i] = executor.schedule(() -> probe(i), delay.toNanos(), TimeUnit.NANOSECONDS);
      }
    }

    void probe(int i) {
      if (stopped) {
        return;
      }
      long start = System.nanoTime();
      java.util.concurrent.CompletableFuture<ProbeResult> result;
      try {
        result = probes.get(i).run();
      } catch (RuntimeException e) {
        result = java.util.concurrent.CompletableFuture.completedFuture(ProbeResult.fail("could not run: " + e));
      }
      result.thenAccept(r -> run(() -> done(i, r, start)));
    }

    void done(int i, ProbeResult result, long start) {
      if (stopped) {
        return;
      }
      log.debug("task {}: {} {}", key, probes.get(i).description(), result.detail());
      health.record(i, result).ifPresent(change -> listener.changed(key, change.healthy(), change.message()));
      double interval = specs.get(i).intervalSeconds() > 0 ? specs.get(i).intervalSeconds() : 10;
      long next = CheckTracker.seconds(interval).toNanos() - (System.nanoTime() - start);
      schedule(i, Duration.ofNanos(Math.max(0, next)));
    }

    void cancel() {
      stopped = true;
      for (ScheduledFuture<?> f : timers) {
        if (f != null) {
          f.cancel(false);
        }
      }
      probes.forEach(Probe::cancel);
    }
  }

  /** A check that cannot run: it fails every time, saying why. */
  private record Unrunnable(String description, String why) implements Probe {
    @Override
    public java.util.concurrent.CompletableFuture<ProbeResult> run() {
      return java.util.concurrent.CompletableFuture.completedFuture(ProbeResult.fail(why));
    }
  }
}
