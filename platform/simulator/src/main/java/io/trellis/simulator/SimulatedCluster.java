package io.trellis.simulator;

import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated agents in one JVM that a real master takes for real ones: they register through
 * the agent protocol (hostnames {@code sim-0..n-1}, their own resources and attributes),
 * heartbeat, take launches and report RUNNING at once, end tasks as their {@link
 * Behaviour} says, report KILLED when killed, and resend status updates until acknowledged.
 * Nothing runs. Cheap enough for thousands: one HTTP server shared by all agents (agent {@code n}
 * at {@code host:port/agents/n}), one thread for their state and timers, one for their heartbeats (so that a busy simulator's
 * agents still look alive).
 *
 * <pre>
 * try (SimulatedCluster sim = SimulatedCluster.start("zk://127.0.0.1:2181/trellis", 1000,
 *     "cpus:8;mem:32768;ports:[31000-32000]")) {
 *   sim.awaitRegistered(Duration.ofMinutes(1));
 *   ... run the framework under test ...
 * }
 * </pre>
 */
public final class SimulatedCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimulatedCluster.class);
  private static final long TICK_MS = 100;

  private final ScheduledThreadPoolExecutor loop;
  private final MasterDetector detector;
  private final Fleet fleet;
  private final MasterLink link;
  private final AgentEndpoints endpoints;

  private SimulatedCluster(SimulatorConfig config, io.trellis.security.ClientSecurity security,
      javax.net.ssl.SSLContext tls) throws IOException {
    loop = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "trellis-simulator");
      t.setDaemon(true);
      return t;
    });
    loop.setRemoveOnCancelPolicy(true);
    detector = MasterDetectors.from(config.master());
    try {
      endpoints = new AgentEndpoints(config.host(), loop, tls);
    } catch (IOException | RuntimeException e) {
      loop.shutdownNow();
      detector.close();
      throw e;
    }
    List<SimAgent> agents = new ArrayList<>();
    for (int n = 0; n < config.agents(); n++) {
      agents.add(new SimAgent(n, config.host() + ":" + endpoints.port() + AgentEndpoints.PREFIX + n,
          config.resourcesOf(n), config.attributes().apply(n)));
    }
    fleet = new Fleet(agents, config.behaviour(), loop, config.clock(), this::pump);
    link = new MasterLink(fleet, detector, loop, config.updateRetry(), config.maxRequestsInFlight(), security);
    endpoints.serve(fleet);
    loop.scheduleWithFixedDelay(this::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
    log.info("{} simulated agents serving on {}:{} for the master at {}", config.agents(), config.host(),
        endpoints.port(), config.master());
  }

  /** Starts {@code agents} agents with the same {@code resources}, registering with {@code master}. */
  public static SimulatedCluster start(String master, int agents, String resources) throws IOException {
    return start(SimulatorConfig.of(master, agents, resources));
  }

  public static SimulatedCluster start(SimulatorConfig config) throws IOException {
    return start(config, io.trellis.security.ClientSecurity.none());
  }

  /** As {@link #start(SimulatorConfig)}, calling the master with these credentials and TLS settings. */
  public static SimulatedCluster start(SimulatorConfig config, io.trellis.security.ClientSecurity security)
      throws IOException {
    return new SimulatedCluster(config, security, null);
  }

  /**
   * As {@link #start(SimulatorConfig, io.trellis.security.ClientSecurity)}, the agents' endpoints
   * served over https with {@code tls} (a server context: certificate and key), as agents of a
   * cluster running TLS are.
   */
  public static SimulatedCluster start(SimulatorConfig config, io.trellis.security.ClientSecurity security,
      javax.net.ssl.SSLContext tls) throws IOException {
    return new SimulatedCluster(config, security, tls);
  }

  /** A pump is queued on the simulator's thread (touched only there). */
  private boolean pumpQueued;

  /**
   * After a change on the simulator's thread: send new updates once the work already queued is
   * done, so that the changes of one call (a batch of launches) go out together.
   */
  private void pump() {
    if (pumpQueued) {
      return;
    }
    pumpQueued = true;
    try {
      loop.execute(() -> {
        pumpQueued = false;
        link.pump();
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      pumpQueued = false;
    }
  }

  private void tick() {
    try {
      link.tick();
    } catch (RuntimeException e) {
      log.warn("simulated agents: {}", e.toString());
    }
  }

  /** How many agents there are. */
  public int size() {
    return fleet.agents.size();
  }

  /** The endpoint the master calls agent {@code n} at: {@code host:port/agents/n}. */
  public String endpoint(int n) {
    if (n < 0 || n >= size()) {
      throw new IllegalArgumentException("no simulated agent " + n + ": there are " + size() + " (0 to " + (size() - 1) + ")");
    }
    return fleet.agents.get(n).endpoint;
  }

  /** Heartbeats sent so far, and how many went out more than a second after they were due. */
  public long heartbeatsSent() {
    return link.heartbeats.sent.get();
  }

  /** Heartbeats that went out more than a second late: the simulator could not keep up. */
  public long heartbeatsLate() {
    return link.heartbeats.late.get();
  }

  /** The latest any heartbeat went out after it was due, in milliseconds. */
  public long heartbeatMaxLateMillis() {
    return link.heartbeats.maxLateMillis.get();
  }

  /** The longest any heartbeat waited for the master's answer, in milliseconds. */
  public long heartbeatMaxAnswerMillis() {
    return link.heartbeats.maxAnswerMillis.get();
  }

  /** How many agents are registered with the current master. */
  public int registered() {
    return link.registered.get();
  }

  /**
   * Waits until every agent is registered.
   *
   * @throws TimeoutException naming how many registered, and the master's refusal if there was one
   */
  public void awaitRegistered(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (registered() < size()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(registered() + " of " + size() + " simulated agents registered within " + timeout
            + (link.refusal == null ? "" : "; " + link.refusal));
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Tasks launched so far (each launch counted once). */
  public long launched() {
    return fleet.launched.get();
  }

  /** Tasks running now. */
  public int running() {
    return fleet.running.get();
  }

  public long finished() {
    return fleet.finished.get();
  }

  public long failed() {
    return fleet.failed.get();
  }

  public long killed() {
    return fleet.killed.get();
  }

  /** Tasks with status updates the framework has not acknowledged yet. */
  public int unacknowledged() {
    try {
      return loop.submit(() -> fleet.unacknowledged.size()).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting unacknowledged tasks", e);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot count unacknowledged tasks: " + e, e);
    }
  }

  /** Stops the agents: they stop heartbeating and the master will find them unreachable. */
  @Override
  public void close() {
    loop.shutdownNow();
    link.close();
    endpoints.close();
    detector.close();
  }
}
