package io.trellis.simulator;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.api.TaskStatus;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterInfo;
import io.trellis.http.PostClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated agents' side of the agent protocol, for all of them at once: registers each
 * agent with the leading master, heartbeats, re-registers after a new leader or a 404, and sends
 * status updates (one in flight per task, retried until acknowledged). Runs on the simulator's
 * thread; at most a fixed number of calls to the master are in flight.
 */
final class MasterLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
  private final Fleet fleet;
  private final MasterDetector detector;
  private final ScheduledExecutorService loop;
  private final Duration updateRetry;
  private final int maxInFlight;
  private final io.trellis.security.ClientSecurity security;
  /** Every call to the master, heartbeats included. */
  private final PostClient http;
  private String masterEndpoint;
  /** The master's URIs by path, for {@link #masterEndpoint}: parsing one per call is costly. */
  private final Map<String, URI> uris = new HashMap<>();
  private String masterId;
  /** Bumped on every change of leader: answers from an older master are ignored. */
  private long epoch;
  /** Registrations and updates in flight. */
  private int inFlight;
  /** The agents' heartbeats, on their own thread so that busy agents still show they are alive. */
  final Heartbeats heartbeats;
  private int nextToRegister;
  /** When overdue updates were last looked for (System.nanoTime). */
  private long lastRetryScan;
  final AtomicInteger registered = new AtomicInteger();
  /** The master's last refusal of a registration, for errors; null if none. */
  volatile String refusal;
  /** Whether a refusal was logged: a master refusing a thousand agents says it once. */
  private boolean warned;

  MasterLink(Fleet fleet, MasterDetector detector, ScheduledExecutorService loop, Duration updateRetry, int maxInFlight,
      io.trellis.security.ClientSecurity security) {
    this.security = security;
    int connections = maxInFlight + Heartbeats.MAX_IN_FLIGHT;
    this.http = new PostClient("trellis-simulator-calls", security.ssl(), connections, connections, Duration.ofSeconds(10));
    this.fleet = fleet;
    this.detector = detector;
    this.loop = loop;
    this.updateRetry = updateRetry;
    this.maxInFlight = maxInFlight;
    this.heartbeats = new Heartbeats(fleet.agents, http, security, Heartbeats.MAX_IN_FLIGHT, this::forgotten);
  }

  /** Every tick: follow the leader, register, heartbeat, retry updates. */
  void tick() {
    Optional<MasterInfo> leader = detector.current();
    if (leader.isEmpty()) {
      if (masterEndpoint != null) {
        forgetMaster("no leading master");
      }
      return;
    }
    if (!leader.get().endpoint().equals(masterEndpoint) || !leader.get().id().equals(masterId)) {
      forgetMaster("new leader " + leader.get());
      masterEndpoint = leader.get().endpoint();
      heartbeats.master = masterEndpoint;
      uris.clear();
      masterId = leader.get().id();
    }
    long now = System.nanoTime();
    int n = fleet.agents.size();
    for (int i = 0; i < n && inFlight < maxInFlight; i++) {
      SimAgent a = fleet.agents.get((nextToRegister + i) % n);
      if (!a.registered && !a.registering) {
        register(a);
      }
    }
    nextToRegister = (nextToRegister + 1) % n;
    retryOverdue(now);
    send();
  }

  /** Sends updates that were never sent, as soon as there is room. */
  void pump() {
    send();
  }

  private void forgetMaster(String why) {
    log.info("simulated agents register again: {}", why);
    epoch++;
    masterEndpoint = null;
    heartbeats.master = null;
    uris.clear();
    masterId = null;
    for (SimAgent a : fleet.agents) {
      if (a.registered) {
        registered.decrementAndGet();
      }
      a.registered = false;
      a.registering = false;
      a.heartbeatAs = null;
    }
  }

  private void register(SimAgent a) {
    a.registering = true;
    AgentProtocol.Register r = new AgentProtocol.Register(a.id, a.hostname, a.endpoint, a.resources, a.attributes,
        fleet.tasksOf(a));
    call("/internal/agents/register", r, response -> {
      a.registering = false;
      if (response == null) {
        return;
      }
      if (response.status() != 200) {
        refusal = "the master refused agent " + a.hostname + " (" + response.status() + "): " + response.body();
        if (response.status() < 500 && !warned) {
          warned = true;
          log.warn("{} (further refusals at DEBUG)", refusal);
        } else {
          log.debug(refusal);
        }
        return;
      }
      AgentProtocol.Registered reg = read(response.body(), AgentProtocol.Registered.class);
      a.id = reg.agentId();
      if (!a.registered) {
        registered.incrementAndGet();
      }
      a.registered = true;
      heartbeats.intervalNanos = (long) (reg.heartbeatIntervalSeconds() * 1e9);
      a.heartbeatAs = a.id;
      for (SimTask t : a.tasks.values()) {
        t.sentAt = 0;
        t.retries = 0;
        if (!t.pending.isEmpty()) {
          fleet.toSend(t);
        }
      }
      send();
    });
  }

  /** The master answered an agent's heartbeat with 404: it must register again. */
  private void forgotten(Heartbeats.ForgottenAgent f) {
    execute(() -> {
      SimAgent a = f.agent();
      if (a.registered && f.id().equals(a.id)) {
        log.debug("the master forgot {}; registering again", a.hostname);
        a.registered = false;
        a.heartbeatAs = null;
        registered.decrementAndGet();
      }
    });
  }

  /**
   * Queues again the updates still unacknowledged a retry interval after they were sent; each
   * further retry of an update waits twice as long (up to 32 intervals), as agents back off, so
   * that a master already behind is not buried under copies of what it has queued.
   */
  private void retryOverdue(long now) {
    if (now - lastRetryScan < updateRetry.toNanos() / 2) {
      return;
    }
    lastRetryScan = now;
    for (SimTask t : fleet.unacknowledged) {
      if (t.sentAt != 0 && now - t.sentAt > updateRetry.toNanos() << Math.min(t.retries, 5)) {
        t.sentAt = 0;
        t.retries++;
        fleet.toSend(t);
      }
    }
  }

  /**
   * Sends the queued updates (each task's first unacknowledged one) as far as the budget of calls
   * in flight allows. An agent's updates due at once go in one call, as a real agent sends them.
   */
  private void send() {
    if (masterEndpoint == null) {
      return;
    }
    long now = System.nanoTime();
    Map<SimAgent, List<AgentProtocol.Update>> due = new LinkedHashMap<>();
    for (SimTask t; (t = fleet.unsent.peekFirst()) != null; ) {
      if (inFlight + due.size() >= maxInFlight && !due.containsKey(t.agent)) {
        break;
      }
      fleet.unsent.pollFirst();
      t.queued = false;
      TaskStatus head = t.pending.peekFirst();
      // An agent not registered sends its tasks' updates again once it is.
      if (head == null || !t.agent.registered || t.sentAt != 0) {
        continue;
      }
      t.sentAt = now;
      TaskStatus s = head.agentId() == null ? withAgent(head, t.agent.id) : head;
      due.computeIfAbsent(t.agent, a -> new ArrayList<>()).add(new AgentProtocol.Update(t.agent.id, t.launch.frameworkId(), s));
    }
    due.forEach((agent, updates) -> {
      if (updates.size() == 1) {
        call("/internal/agents/update", updates.get(0), response -> { });
      } else {
        call("/internal/agents/updates", new AgentProtocol.Updates(agent.id, updates), response -> { });
      }
    });
  }

  private static TaskStatus withAgent(TaskStatus s, String agentId) {
    return new TaskStatus(s.taskId(), s.frameworkId(), agentId, s.state(), s.reason(), s.message(), s.exitCode(),
        s.uuid(), s.timestamp(), s.healthy());
  }

  /** Posts to the leader; {@code then} runs on the simulator's thread with the answer, or null if none came. */
  private void call(String path, Object body, Consumer<PostClient.Answer> then) {
    long sentIn = epoch;
    byte[] json;
    try {
      json = Json.mapper().writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String endpoint = masterEndpoint;
    URI uri = uris.computeIfAbsent(path, p -> URI.create(security.url(endpoint) + p));
    inFlight++;
    CompletableFuture<PostClient.Answer> f = http.post(uri, security.headers(), json);
    f.whenComplete((response, failure) -> execute(() -> {
      inFlight--;
      if (failure != null) {
        log.debug("call {} to {} failed: {}", path, masterEndpoint, failure.toString());
      }
      if (sentIn == epoch) {
        then.accept(failure == null ? response : null);
      }
      send();
    }));
  }

  private void execute(Runnable r) {
    if (!loop.isShutdown()) {
      try {
        loop.execute(r);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // The simulator is closing: nothing to do with the answer.
      }
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return Json.mapper().readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable answer from the master: " + json, e);
    }
  }

  /** Stops heartbeats and calls: calls in flight fail. */
  @Override
  public void close() {
    heartbeats.close();
    http.close();
  }
}
