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
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3))
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private Agent agent;
  private String masterEndpoint;
  private String masterId;
  private boolean registered;
  private ScheduledFuture<?> ticker;
  private long lastRetryNanos;

  public MasterLink(MasterDetector detector) {
    this.detector = detector;
  }

  void start(Agent a) {
    this.agent = a;
    ticker = a.loop().scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
  }

  /** Every second: find the leader, register if needed, heartbeat, retry updates. */
  private void tick() {
    try {
      var leader = detector.current();
      if (leader.isEmpty()) {
        registered = false;
        return;
      }
      if (!leader.get().endpoint().equals(masterEndpoint) || !leader.get().id().equals(masterId)) {
        masterEndpoint = leader.get().endpoint();
        masterId = leader.get().id();
        registered = false;
      }
      if (!registered) {
        register();
      } else if (post("/internal/agents/heartbeat", new AgentProtocol.Heartbeat(agent.checkpoints.agentId())) == 404) {
        log.info("the master does not know this agent any more; registering again");
        registered = false;
        register();
      }
      if (registered && System.nanoTime() - lastRetryNanos > agent.config.updateRetry().toNanos()) {
        flush(agent);
      }
    } catch (RuntimeException | IOException e) {
      if (registered) {
        log.warn("lost the master at {}: {}", masterEndpoint, e.getMessage());
      }
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
    registered = true;
    log.info("registered with the master at {} as agent {}", masterEndpoint, reg.agentId());
    flush(agent);
  }

  /** Sends the oldest unacknowledged update of every task. */
  void flush(Agent a) {
    if (!registered) {
      return;
    }
    lastRetryNanos = System.nanoTime();
    for (AgentProtocol.Update u : a.pendingUpdates()) {
      try {
        post("/internal/agents/update", u);
      } catch (IOException | RuntimeException e) {
        log.debug("update of task {} not delivered yet: {}", u.status().taskId(), e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private int post(String path, Object body) throws IOException, InterruptedException {
    return send(path, body).statusCode();
  }

  private HttpResponse<String> send(String path, Object body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + masterEndpoint + path))
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.cancel(false);
    }
  }
}
