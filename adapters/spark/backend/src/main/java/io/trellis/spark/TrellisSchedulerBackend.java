package io.trellis.spark;

import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerEvent;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.TrellisApiException;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.spark.offer.ExecutorGang;
import io.trellis.spark.offer.OfferPlan;
import io.trellis.spark.offer.OfferPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.rpc.RpcEndpointAddress;
import org.apache.spark.scheduler.ExecutorProcessLost;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.Future;

/**
 * Spark's scheduler backend on Trellis: the driver subscribes as a framework under its role,
 * launches executors as Trellis tasks from offers, declines what it does not need, suppresses
 * offers when it has the executors it wants and revives when Spark asks for more. A task that
 * ends, or whose agent becomes unreachable, is reported to Spark as a lost executor.
 *
 * <p>With {@code spark.trellis.gang=true} it asks for all its executors as one gang (a REQUEST)
 * and, until the gang's offers come, launches nothing: ordinary offers are declined. A barrier
 * stage does the same by itself: when Spark counts the slots for one (it needs all its tasks at
 * once) while executors are still missing, the missing executors are asked for as one gang.
 */
public final class TrellisSchedulerBackend extends CoarseGrainedSchedulerBackend {
  /** Our own state changes; Spark's superclass logs under this class's name, kept at WARN. */
  private static final Logger log = LoggerFactory.getLogger("io.trellis.spark.backend");

  private final SparkContext sc;
  private final TaskSchedulerImpl scheduler;
  private final BackendSettings settings;
  private final OfferPlanner planner;
  private volatile ExecutorTasks executors;
  private volatile ExecutorCommand command;
  private volatile SchedulerClient client;
  private volatile MasterDetector detector;
  private volatile boolean suppressed;
  private volatile boolean stopping;
  private volatile boolean connected;
  /** Set while the executors' gang has not been offered: only its offers launch executors. */
  private volatile boolean awaitingGang;
  /** The gang asked for because a barrier stage waits, or {@code null}. */
  private volatile ExecutorGang barrierGang;

  public TrellisSchedulerBackend(TaskSchedulerImpl scheduler, SparkContext sc, BackendSettings settings) {
    super(scheduler, sc.env().rpcEnv());
    this.sc = sc;
    this.scheduler = scheduler;
    this.settings = settings;
    this.planner = new OfferPlanner(settings.executorSize(), settings.constraints());
  }

  @Override
  public void start() {
    super.start();
    String appId = applicationId();
    String driverUrl = RpcEndpointAddress.apply(sc.conf().get("spark.driver.host"),
        sc.conf().getInt("spark.driver.port", 0), CoarseGrainedSchedulerBackend.ENDPOINT_NAME()).toString();
    executors = new ExecutorTasks(appId, settings.executorSize(), settings.maxCores(),
        settings.initialExecutors(), settings.maxAgentFailures());
    command = new ExecutorCommand(settings, driverUrl, appId);
    detector = MasterDetectors.from(settings.master().detectorSpec());
    FrameworkInfo info = new FrameworkInfo(null, "spark " + settings.frameworkName() + " (" + appId + ")",
        settings.user(), settings.roles(), settings.failoverTimeoutSeconds(), sc.conf().get("spark.driver.host"))
        // The driver's own web UI, which Trellis' UI links to.
        .withWebuiUrl(sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null);
    awaitingGang = settings.gang() != null;
    // Credentials and TLS as every Trellis client finds them (a cluster-mode driver gets them in its environment).
    client = SchedulerClient.start(detector, io.trellis.security.ClientSecurity.fromEnvironment(), info, new Callbacks());
    try {
      String frameworkId = client.awaitSubscribed(settings.subscribeTimeout());
      log.info("application {} subscribed to Trellis as framework {} under role {}", appId, frameworkId,
          settings.role());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing to Trellis", e);
    } catch (IllegalStateException e) {
      client.close();
      detector.close();
      throw new IllegalStateException("cannot reach Trellis at " + settings.master().detectorSpec()
          + ": not subscribed after " + settings.subscribeTimeout().toSeconds() + " s ("
          + BackendSettings.SUBSCRIBE_TIMEOUT + "); is a master running there?", e);
    }
    if (settings.gang() != null) {
      requestGang();
    } else {
      declareWaiting();
    }
  }

  /** Asks for every executor as one gang; a refusal (larger than the cluster or the quota) ends the start. */
  private void requestGang() {
    ExecutorGang gang = settings.gang();
    try {
      client.request(List.of(gang.demand(settings.role(), settings.executorSize(), settings.constraints())));
      log.info("asked Trellis for {} executors of {} as one gang ({} s, {})", gang.executors(),
          settings.executorSize().resources(), (long) gang.timeoutSeconds(), gang.mode());
    } catch (TrellisApiException e) {
      // SparkContext stops the backend after a failed start: that ends the framework.
      throw new IllegalStateException("Trellis refused the gang of " + gang.executors() + " executors of "
          + settings.executorSize().resources() + " (" + ExecutorGang.ENABLED + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    stopping = true;
    try {
      super.stop();
    } finally {
      SchedulerClient c = client;
      if (c != null) {
        awaitExecutorsEnded(settings.executorStopTimeout());
        try {
          c.teardown();
        } catch (RuntimeException e) {
          log.debug("teardown failed: {}", e.toString());
          c.close();
        }
      }
      if (detector != null) {
        detector.close();
      }
    }
  }

  /** Executors told to stop exit by themselves; give them a moment before the teardown kills them. */
  private void awaitExecutorsEnded(Duration timeout) {
    try {
      if (executors != null && !executors.awaitNoneLive(timeout)) {
        log.debug("{} executors still live after {} ms; the teardown kills them", executors.live().size(),
            timeout.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean sufficientResourcesRegistered() {
    int wanted = Math.min(settings.maxCores(), executors.target() == Integer.MAX_VALUE
        ? Integer.MAX_VALUE : executors.target() * settings.executorSize().cores());
    return wanted == Integer.MAX_VALUE || totalCoreCount().get() >= wanted * minRegisteredRatio();
  }

  /**
   * Spark asks this before it runs a barrier stage, whose tasks must all run at once. With
   * executors still missing, they are asked for as one gang (once per application), so they
   * start together instead of one by one while the stage's check fails and is tried again.
   */
  @Override
  public int maxNumConcurrentTasks(ResourceProfile rp) {
    int slots = super.maxNumConcurrentTasks(rp);
    ExecutorTasks e = executors;
    SchedulerClient c = client;
    if (settings.gang() == null && barrierGang == null && e != null && c != null && !stopping) {
      int missing = e.demand().missing(settings.executorSize(), MAX_DEMAND);
      if (missing > 0) {
        ExecutorGang gang = new ExecutorGang(missing, BARRIER_GANG_TIMEOUT_SECONDS, SchedulerCall.GangMode.SOFT);
        barrierGang = gang;
        awaitingGang = true;
        java.util.concurrent.CompletableFuture.runAsync(() -> requestBarrierGang(c, gang));
      }
    }
    return slots;
  }

  /** How long a barrier stage's gang may wait before its executors come from ordinary offers. */
  private static final double BARRIER_GANG_TIMEOUT_SECONDS = 900;

  private void requestBarrierGang(SchedulerClient c, ExecutorGang gang) {
    try {
      c.request(List.of(gang.demand(settings.role(), settings.executorSize(), settings.constraints())));
      log.info("a barrier stage waits for {} more executors of {}: asked Trellis for them as one gang",
          gang.executors(), settings.executorSize().resources());
    } catch (RuntimeException refused) {
      awaitingGang = false;
      declaredMissing = -1;
      log.warn("Trellis refused a gang of {} executors for a barrier stage: {}; they come from ordinary offers",
          gang.executors(), refused.getMessage());
      declareWaiting();
    }
  }

  /** The size of the gang waited for: the configured one, or a barrier stage's. */
  private int gangSize() {
    ExecutorGang g = settings.gang() != null ? settings.gang() : barrierGang;
    return g == null ? 0 : g.executors();
  }

  @Override
  public Future<Object> doRequestTotalExecutors(scala.collection.immutable.Map<ResourceProfile, Object> totals) {
    int total = 0;
    scala.collection.Iterator<Object> it = totals.values().iterator();
    while (it.hasNext()) {
      total += (Integer) it.next();
    }
    boolean more = executors.target(total);
    log.debug("Spark wants {} executors; more needed: {}", total, more);
    if (more) {
      revive();
    }
    declareWaiting();
    return Future.successful(Boolean.TRUE);
  }

  @Override
  public Future<Object> doKillExecutors(scala.collection.immutable.Seq<String> executorIds) {
    scala.collection.Iterator<String> it = executorIds.iterator();
    while (it.hasNext()) {
      String id = it.next();
      Optional<ExecutorTasks.Executor> e = executors.byExecutorId(id);
      if (e.isPresent()) {
        log.info("killing executor {} (task {}) at Spark's request", id, e.get().taskId());
        client.kill(e.get().taskId(), e.get().agentId());
      } else {
        log.debug("Spark asked to kill executor {}, which has no live task", id);
      }
    }
    return Future.successful(Boolean.TRUE);
  }

  private void revive() {
    SchedulerClient c = client;
    if (c != null && !stopping) {
      suppressed = false;
      c.revive(settings.roles());
    }
  }

  /** The executors last stated as waiting; -1 before the first statement. */
  private int declaredMissing = -1;

  /**
   * Tells the master how many executors wait (a plain demand of one executor's cpus and mem), so
   * the allocator offers at least one executor's worth and knows the role has work waiting.
   * Not while the executors' gang waits: the gang is the demand then. Sent when it changes.
   */
  private synchronized void declareWaiting() {
    SchedulerClient c = client;
    if (c == null || awaitingGang || stopping) {
      return;
    }
    int missing = executors.demand().missing(settings.executorSize(), MAX_DEMAND);
    if (missing == declaredMissing) {
      return;
    }
    declaredMissing = missing;
    try {
      c.request(missing == 0 ? List.of() : List.of(new SchedulerCall.Demand("executors", settings.role(),
          settings.executorSize().resources(), missing, List.of(), null)));
    } catch (RuntimeException e) {
      log.debug("could not tell Trellis how many executors wait: {}", e.getMessage());
    }
  }

  /** The most members one demand may have. */
  private static final int MAX_DEMAND = 100_000;

  private void suppressIfSatisfied() {
    declareWaiting();
    if (!suppressed && executors.satisfied()) {
      suppressed = true;
      client.suppress(settings.roles());
      log.debug("enough executors: offers suppressed");
    }
  }

  /** The framework's callbacks, on the client's event thread. */
  private final class Callbacks implements Scheduler {
    @Override
    public void subscribed(SchedulerClient c, String frameworkId) {
      suppressed = false;
      connected = true;
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      if (stopping) {
        c.decline(offers.stream().map(OfferInfo::id).toList(), settings.refuseSeconds());
        return;
      }
      if (awaitingGang) {
        List<OfferInfo> gang = offers.stream().filter(o -> ExecutorGang.DEMAND_ID.equals(o.gang())).toList();
        List<String> others = offers.stream().filter(o -> !gang.contains(o)).map(OfferInfo::id).toList();
        if (!others.isEmpty()) {
          c.decline(others, settings.refuseSeconds());
        }
        if (gang.isEmpty()) {
          return;
        }
        awaitingGang = false;
        log.info("the gang of {} executors is offered together, on {} agent(s)", gangSize(), gang.size());
        declaredMissing = -1;
        offers = gang;
        c.request(List.of());
      }
      OfferPlan plan = planner.plan(offers, executors.demand(), executors.excludedAgents());
      for (OfferPlan.Launch launch : plan.launches()) {
        List<TaskSpec> tasks = new ArrayList<>();
        List<ExecutorTasks.Executor> started = new ArrayList<>();
        for (int i = 0; i < launch.executors(); i++) {
          ExecutorTasks.Executor e = executors.launch(launch.offer().agentId(), launch.offer().hostname());
          started.add(e);
          tasks.add(command.task(e.taskId(), e.executorId(), e.agentId(), e.hostname()));
        }
        try {
          c.accept(List.of(launch.offer().id()), tasks, settings.refuseSeconds());
          for (ExecutorTasks.Executor e : started) {
            log.info("launching executor {} as task {} on agent {} ({})", e.executorId(), e.taskId(),
                e.agentId(), e.hostname());
          }
        } catch (RuntimeException ex) {
          started.forEach(executors::forget);
          log.warn("could not launch executors on offer {}: {}", launch.offer().id(), ex.getMessage());
        }
      }
      if (!plan.declines().isEmpty()) {
        for (OfferPlan.Decline d : plan.declines()) {
          log.debug("declining offer {}: {}", d.offer().id(), d.reason());
        }
        c.decline(plan.declines().stream().map(d -> d.offer().id()).toList(), settings.refuseSeconds());
      }
      suppressIfSatisfied();
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      log.debug("executor task {} is {}", status.taskId(), status.state());
      boolean unreachable = status.state() == TaskState.UNREACHABLE;
      if (!status.state().isTerminal() && !unreachable) {
        return;
      }
      Optional<ExecutorTasks.Executor> ended = executors.ended(status.taskId(), status.state());
      if (ended.isEmpty() || stopping) {
        return;
      }
      ExecutorTasks.Executor e = ended.get();
      String why = "executor task " + e.taskId() + " on agent " + e.agentId() + " is " + status.state()
          + (status.message() == null ? "" : ": " + status.message());
      log.info("executor {} lost: {}", e.executorId(), why);
      removeExecutor(e.executorId(), new ExecutorProcessLost(why, Option.apply(e.hostname()), false));
      if (unreachable) {
        // Spark runs its work elsewhere; should the agent come back, the old executor must go.
        c.kill(e.taskId(), e.agentId());
      }
      if (!executors.satisfied()) {
        revive();
      }
      declareWaiting();
    }

    @Override
    public void gang(SchedulerClient c, SchedulerEvent.GangUpdate update) {
      if (!awaitingGang || !ExecutorGang.DEMAND_ID.equals(update.demandId())) {
        return;
      }
      awaitingGang = false;
      if (update.state() == io.trellis.api.GangState.FAILED) {
        String why = "the gang of " + gangSize() + " executors failed (" + ExecutorGang.MODE
            + "=HARD): " + update.reason();
        log.error(why);
        try {
          scheduler.error(why);
        } catch (RuntimeException noJobYet) {
          log.debug("no job to abort: {}", noJobYet.getMessage());
        }
        sc.stopInNewThread();
      } else {
        log.warn("the gang of {} executors expired ({}=SOFT): {}; executors now come from ordinary offers",
            gangSize(), ExecutorGang.MODE, update.reason());
        declaredMissing = -1;
        revive();
        declareWaiting();
      }
    }

    @Override
    public void error(SchedulerClient c, String message) {
      log.warn("Trellis reported an error to application {}: {}", applicationId(), message);
    }

    @Override
    public void disconnected(SchedulerClient c, String reason) {
      if (connected && !stopping) {
        log.info("connection to the Trellis master lost ({}); reconnecting", reason);
      } else {
        log.debug("no connection to the Trellis master yet: {}", reason);
      }
      connected = false;
    }
  }
}
