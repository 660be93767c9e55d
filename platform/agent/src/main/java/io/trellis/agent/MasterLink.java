package io.trellis.agent;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.client.discovery.MasterDetector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the master protocol: registers with the leading master (found through the
 * detector), heartbeats, re-registers when the master forgets it or a new leader appears, and
 * sends unacknowledged status updates until they are acknowledged. Runs on the agent's thread.
 */
public final class MasterLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MasterLink.class);
  private final MasterDetector detector;
  private final io.trellis.security.ClientSecurity security;
  private final HttpClient http;
  private Agent agent;
  private volatile String masterEndpoint;
  private String masterId;
  private volatile boolean registered;

  /** Whether a master has taken this agent's registration (and not lost it since). */
  boolean isRegistered() {
    return registered;
  }
  /** The last reason registering failed, so that a lasting problem is logged once. */
  private String lastProblem;
  private ScheduledFuture<?> ticker;
  /** Heartbeats run on their own thread, so a busy agent still shows it is alive. */
  private final java.util.concurrent.ScheduledExecutorService heartbeats =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trellis-agent-heartbeat");
        t.setDaemon(true);
        return t;
      });

  private final Duration heartbeatInterval;

  public MasterLink(MasterDetector detector) {
    this(detector, Duration.ofSeconds(1));
  }

  /** A link that heartbeats every {@code heartbeatInterval}. */
  public MasterLink(MasterDetector detector, Duration heartbeatInterval) {
    this(detector, heartbeatInterval, io.trellis.security.ClientSecurity.none());
  }

  /** A link that heartbeats every {@code heartbeatInterval}, calling masters with these credentials and TLS settings. */
  public MasterLink(MasterDetector detector, Duration heartbeatInterval, io.trellis.security.ClientSecurity security) {
    this.security = security;
    this.http = security.httpClient().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval " + heartbeatInterval + " must be positive");
    }
    this.detector = detector;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** How often this link heartbeats. */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  void start(Agent a) {
    this.agent = a;
    ticker = a.loop().scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
    long every = heartbeatInterval.toMillis();
    heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    String id = agent.checkpoints.agentId();
    if (!registered || id == null) {
      return;
    }
    try {
      if (post("/internal/agents/heartbeat", new AgentProtocol.Heartbeat(id)) == 404) {
        log.info("the master does not know this agent any more; registering again");
        registered = false;
      }
    } catch (IOException | RuntimeException e) {
      log.debug("heartbeat to {} failed: {}", masterEndpoint, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every second: find the leader, register if needed, heartbeat, retry updates. */
  private void tick() {
    try {
      var leader = detector.current();
      if (leader.isEmpty()) {
        registered = false;
        return;
      }
      agent.epochs.seen(leader.get().epoch());
      if (!leader.get().endpoint().equals(masterEndpoint) || !leader.get().id().equals(masterId)) {
        masterEndpoint = leader.get().endpoint();
        masterId = leader.get().id();
        registered = false;
      }
      if (!registered) {
        register();
      }
      if (registered) {
        send(agent, true);
      }
    } catch (RuntimeException | IOException e) {
      if (registered) {
        log.warn("lost the master at {}: {}", masterEndpoint, e.getMessage());
      } else if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
        // Said once per new problem (a full work directory cannot record the agent's id, say).
        log.warn("cannot register with the master at {}: {}", masterEndpoint, e.getMessage());
      }
      lastProblem = String.valueOf(e.getMessage());
      registered = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void register() throws IOException, InterruptedException {
    HttpResponse<String> r = send("/internal/agents/register", agent.registration());
    if (r.statusCode() != 200) {
      throw new IOException("registration refused (" + r.statusCode() + "): " + r.body());
    }
    AgentProtocol.Registered reg = Json.mapper().readValue(r.body(), AgentProtocol.Registered.class);
    agent.registered(reg.agentId());
    agent.epochs.seen(reg.epoch());
    registered = true;
    lastProblem = null;
    log.info("registered with the master at {} as agent {}", masterEndpoint, reg.agentId());
    agent.resetInFlight();
    send(agent, false);
  }

  /** Sends updates that are due: new ones at once, unacknowledged ones again after the retry interval. */
  void flush(Agent a) {
    send(a, false);
  }

  /** At most this many updates go in one call to the master. */
  private static final int UPDATES_PER_CALL = 500;
  /** Whether the master takes many updates in one call; false after a 404 from a master of an earlier release. */
  private volatile boolean batchedUpdates = true;

  /**
   * Sends without blocking the agent's thread, the updates due in one call (or a few, for very
   * many); a lost send is retried after the retry interval.
   */
  private void send(Agent a, boolean retry) {
    if (!registered) {
      return;
    }
    List<AgentProtocol.Update> due = a.updatesToSend(retry);
    if (due.isEmpty()) {
      return;
    }
    for (AgentProtocol.Update u : due) {
      a.sent(u.status().uuid());
    }
    if (!batchedUpdates) {
      due.forEach(u -> post(u, "/internal/agents/update", u, 1));
      return;
    }
    String agentId = due.get(0).agentId();
    for (int from = 0; from < due.size(); from += UPDATES_PER_CALL) {
      List<AgentProtocol.Update> chunk = due.subList(from, Math.min(due.size(), from + UPDATES_PER_CALL));
      post(chunk, "/internal/agents/updates", new AgentProtocol.Updates(agentId, chunk), chunk.size());
    }
  }

  private void post(Object what, String path, Object body, int count) {
    HttpRequest request;
    try {
      request = security.authorize(HttpRequest.newBuilder(URI.create(security.url(masterEndpoint) + path)))
          .timeout(Duration.ofSeconds(5))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)))
          .build();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
      if (e == null && r.statusCode() == 404 && what instanceof List<?> && batchedUpdates) {
        log.info("the master takes status updates one at a time; sending them so from now on");
        batchedUpdates = false;
      }
      if (e != null || r.statusCode() / 100 != 2) {
        log.debug("{} update(s) not delivered yet: {}", count, e != null ? e.getMessage() : "HTTP " + r.statusCode());
      }
    });
  }

  private int post(String path, Object body) throws IOException, InterruptedException {
    return send(path, body).statusCode();
  }

  private HttpResponse<String> send(String path, Object body) throws IOException, InterruptedException {
    HttpRequest request = security.authorize(HttpRequest.newBuilder(URI.create(security.url(masterEndpoint) + path)))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    if (ticker != null) {
      ticker.cancel(false);
    }
  }
}
