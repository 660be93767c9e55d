package io.trellis.services.framework;

import io.trellis.api.FrameworkInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.services.ServiceException;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.deploy.Deployment;
import io.trellis.services.event.EventBus;
import io.trellis.services.instance.Instance;
import io.trellis.services.store.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services framework: loads its state from the store, subscribes to the master as the same
 * framework every time, reconciles its instances, and keeps every app at its definition. One
 * event loop owns the state; the scheduler callbacks and the API submit work to it.
 */
public final class ServicesFramework implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServicesFramework.class);
  /** The master keeps the framework's tasks this long while it is away (a restart, an upgrade). */
  static final double FAILOVER_TIMEOUT_SECONDS = 7 * 24 * 3600;
  private static final Duration TICK = Duration.ofSeconds(5);

  private final Parts parts;
  private final Convergence convergence;
  private final Offers offers;
  private final Updates updates;
  private final AppCommands commands;
  private final Readiness readiness;
  private final Callbacks callbacks;
  private final MasterDetector detector;
  private final io.trellis.security.ClientSecurity security;
  private final String name;
  private volatile String webuiUrl;

  public ServicesFramework(ServiceStore store, MasterDetector detector, Clock clock, EventBus bus,
      String role, String name) {
    this(store, detector, io.trellis.security.ClientSecurity.none(), clock, bus, role, name);
  }

  /** A framework calling the master with these credentials and TLS settings. */
  public ServicesFramework(ServiceStore store, MasterDetector detector, io.trellis.security.ClientSecurity security,
      Clock clock, EventBus bus, String role, String name) {
    this.security = security;
    this.parts = new Parts(store, clock, bus, new EventLoop("services-loop"), role,
        new io.trellis.client.OperatorClient(detector, security));
    this.convergence = new Convergence(parts);
    this.offers = new Offers(parts);
    this.updates = new Updates(parts);
    this.commands = new AppCommands(parts, convergence);
    this.callbacks = new Callbacks(parts, offers, updates, convergence);
    this.readiness = new Readiness(parts, callbacks::convergeSoon);
    this.detector = detector;
    this.name = name;
  }

  /** Announces {@code url} to the master as where this framework's API is served (before {@link #start}). */
  public ServicesFramework servedAt(String url) {
    this.webuiUrl = url;
    return this;
  }

  /** Loads the stored state and subscribes; returns at once (subscription is in the background). */
  public ServicesFramework start() {
    await(parts.loop.submit(() -> {
      load();
      return null;
    }));
    String id = await(parts.loop.submit(() -> parts.state.frameworkId));
    FrameworkInfo info = new FrameworkInfo(id, name, System.getProperty("user.name", "root"),
        List.of(parts.role), FAILOVER_TIMEOUT_SECONDS, null).withWebuiUrl(webuiUrl);
    parts.client = SchedulerClient.start(detector, security, info, callbacks, false);
    tick();
    probeReadiness();
    return this;
  }

  private void load() {
    State s = parts.state;
    s.frameworkId = parts.store.frameworkId().orElse(null);
    for (AppDefinition a : parts.store.apps()) {
      // Definitions stored by older versions lack the fields added since: give them their defaults.
      AppDefinition app = a.withDefaults();
      s.apps.put(app.id(), app);
    }
    for (Instance i : parts.store.instances()) {
      s.instances.put(i.taskId(), i);
    }
    for (Deployment d : parts.store.deployments()) {
      s.deployments.put(d.id(), d);
    }
    log.info("services state loaded: {} apps, {} instances, {} deployments (framework id {})",
        s.apps.size(), s.instances.size(), s.deployments.size(), s.frameworkId == null ? "new" : s.frameworkId);
  }

  /** Readiness probes every 250 ms while deployments wait for them. */
  private void probeReadiness() {
    parts.loop.schedule(Duration.ofMillis(250), () -> {
      try {
        if (parts.subscribed) {
          readiness.probe();
        }
      } finally {
        probeReadiness();
      }
    });
  }

  private void tick() {
    parts.loop.schedule(TICK, () -> {
      try {
        retryKills();
        convergence.run();
      } finally {
        tick();
      }
    });
  }

  private void retryKills() {
    if (!parts.subscribed) {
      return;
    }
    parts.unknown.keySet().removeIf(id -> !parts.state.instances.containsKey(id));
    parts.unreachableSince.keySet().removeIf(id -> !parts.state.instances.containsKey(id));
    // Instances the master does not know yet, and those on unreachable agents: asking again
    // learns when they are back (a master that took over may not report the agent's return).
    java.util.Set<String> ask = new java.util.LinkedHashSet<>(parts.unknown.keySet());
    ask.addAll(parts.unreachableSince.keySet());
    if (!ask.isEmpty()) {
      List<SchedulerCall.TaskRef> refs = new ArrayList<>();
      for (String id : ask) {
        refs.add(new SchedulerCall.TaskRef(id, parts.state.instances.get(id).agentId()));
      }
      SchedulerClient c = parts.client;
      parts.calls.execute(() -> {
        try {
          c.reconcile(refs);
        } catch (RuntimeException e) {
          log.debug("reconciliation of unknown and unreachable instances failed: {}", e.getMessage());
        }
      });
    }
    for (Instance i : parts.state.instances.values()) {
      if (i.killRequested() && !i.state().isTerminal() && i.agentId() != null) {
        SchedulerClient c = parts.client;
        parts.calls.execute(() -> {
          try {
            c.kill(i.taskId(), i.agentId());
          } catch (RuntimeException e) {
            log.debug("kill of {} failed again: {}", i.taskId(), e.getMessage());
          }
        });
      }
    }
  }

  /** Runs {@code read} on the loop and waits for its answer. */
  public <T> T read(Function<State, T> read) {
    return await(parts.loop.submit(() -> read.apply(parts.state)));
  }

  public AppCommandsResult create(AppDefinition app) {
    return change(() -> commands.create(app));
  }

  public AppCommandsResult update(AppDefinition app, boolean force) {
    return change(() -> commands.update(app, force));
  }

  /**
   * Creates ({@code create}) or replaces {@code apps} and removes {@code removed} as one change,
   * refused as a whole (422 for a dependency cycle, 409 for a locked or existing app) before
   * anything is stored.
   *
   * @param paths where each app is in the request ({@code $.apps[0]}), to name it in errors
   */
  public List<AppCommandsResult> changeAll(List<AppDefinition> apps, List<String> removed, boolean create,
      boolean force, java.util.Map<String, String> paths) {
    List<AppCommands.Change> changes = await(parts.loop.submit(() -> commands.changeAll(apps, removed, create, force, paths)));
    return changes.stream().map(c -> new AppCommandsResult(c.app(), c.deployment())).toList();
  }

  public AppCommandsResult restart(String appId, boolean force) {
    return change(() -> commands.restart(appId, force));
  }

  public AppCommandsResult delete(String appId, boolean force) {
    return change(() -> commands.delete(appId, force));
  }

  public List<Instance> kill(List<String> taskIds, boolean scale, boolean force) {
    return await(parts.loop.submit(() -> commands.kill(taskIds, scale, force)));
  }

  /** Cancels a deployment; returns the rollback deployment, or null when forced. */
  public Deployment cancel(String deploymentId, boolean force) {
    return await(parts.loop.submit(() -> commands.cancel(deploymentId, force)));
  }

  /** An app as stored and the deployment that rolls it out. */
  public record AppCommandsResult(AppDefinition app, Deployment deployment) {}

  private AppCommandsResult change(java.util.concurrent.Callable<AppCommands.Change> work) {
    AppCommands.Change c = await(parts.loop.submit(work));
    return new AppCommandsResult(c.app(), c.deployment());
  }

  public String frameworkId() {
    return read(State::frameworkId);
  }

  /**
   * Subscribed to a master and every stored instance reconciled with it: from now on what the
   * framework launches and kills rests on the master's answers.
   */
  public boolean recovered() {
    return await(parts.loop.submit(() -> parts.subscribed && parts.reconciling.isEmpty()));
  }

  /** The master the framework is subscribed to, or null while it is not. */
  public String master() {
    SchedulerClient c = parts.client;
    return c == null ? null : c.subscribedTo();
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServiceException(503, "interrupted while waiting for the services framework");
    } catch (TimeoutException e) {
      throw new ServiceException(503, "the services framework did not answer within 30 s; retry");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    SchedulerClient c = parts.client;
    if (c != null) {
      c.close();
    }
    parts.loop.close();
    // Writes and calls already queued finish (a few seconds at most): an interrupted write
    // would leave the store behind what the framework decided.
    parts.calls.shutdown();
    try {
      if (!parts.calls.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("calls to the store and the master still running after 5 s; interrupting them");
        parts.calls.shutdownNow();
      }
    } catch (InterruptedException e) {
      parts.calls.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
