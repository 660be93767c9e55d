package io.trellis.simulator;

import io.trellis.api.AgentProtocol;
import io.trellis.api.Json;
import io.trellis.http.PostClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated agents' heartbeats, on a thread of their own: however far behind the simulator's
 * thread is with launches and status updates, each registered agent heartbeats on time, as a real
 * agent's heartbeat does not wait for its tasks. Every field here is this thread's; what it reads
 * of the agents ({@link SimAgent#heartbeatAs}) and of the master ({@link #master}) is published by
 * the simulator's thread.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  private static final long TICK_MS = 100;
  /**
   * Heartbeats in flight at most: more than other calls, since a heartbeat is small and the master
   * answers it at once; ten thousand agents every 5 s is 2,000 a second.
   */
  static final int MAX_IN_FLIGHT = 512;
  private final List<SimAgent> agents;
  private final ScheduledThreadPoolExecutor thread;
  private final PostClient http;
  private final io.trellis.security.ClientSecurity security;
  private final int maxInFlight;
  /** Told (on the heartbeat thread) the agent the master no longer knows, with the id it heartbeat as. */
  private final Consumer<ForgottenAgent> forgotten;
  /** The leading master's endpoint, or null while there is none. */
  volatile String master;
  /** How often each agent heartbeats, as the master asked. */
  volatile long intervalNanos = Duration.ofSeconds(5).toNanos();
  private URI uri;
  private String uriOf;
  private int inFlight;
  private int next;
  /** Heartbeats sent more than a second after they were due: the simulator could not keep up. */
  final AtomicLong late = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  /** The latest a heartbeat went out after it was due, in milliseconds. */
  final AtomicLong maxLateMillis = new AtomicLong();
  /** The longest a heartbeat waited for the master's answer, in milliseconds. */
  final AtomicLong maxAnswerMillis = new AtomicLong();

  record ForgottenAgent(SimAgent agent, String id) {}

  Heartbeats(List<SimAgent> agents, PostClient http, io.trellis.security.ClientSecurity security, int maxInFlight,
      Consumer<ForgottenAgent> forgotten) {
    this.agents = agents;
    this.http = http;
    this.security = security;
    this.maxInFlight = maxInFlight;
    this.forgotten = forgotten;
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "trellis-simulator-heartbeats");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      String endpoint = master;
      if (endpoint == null) {
        return;
      }
      if (!endpoint.equals(uriOf)) {
        uri = URI.create(security.url(endpoint) + "/internal/agents/heartbeat");
        uriOf = endpoint;
      }
      long now = System.nanoTime();
      long interval = intervalNanos;
      int n = agents.size();
      for (int i = 0; i < n && inFlight < maxInFlight; i++) {
        SimAgent a = agents.get(next);
        next = (next + 1) % n;
        String id = a.heartbeatAs;
        if (id == null) {
          a.heartbeatDue = 0;
          continue;
        }
        if (a.heartbeatDue == 0) {
          a.heartbeatDue = now + interval; // registered just now: registering counts as a heartbeat
          continue;
        }
        if (!a.heartbeating && now >= a.heartbeatDue) {
          long lateMillis = (now - a.heartbeatDue) / 1_000_000;
          if (lateMillis > 1000) {
            late.incrementAndGet();
          }
          maxLateMillis.accumulateAndGet(lateMillis, Math::max);
          a.heartbeatDue = now + interval;
          send(a, id);
        }
      }
    } catch (RuntimeException e) {
      log.warn("simulated heartbeats: {}", e.toString());
    }
  }

  private void send(SimAgent a, String id) {
    byte[] body;
    try {
      body = Json.mapper().writeValueAsBytes(new AgentProtocol.Heartbeat(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    a.heartbeating = true;
    inFlight++;
    sent.incrementAndGet();
    long sentAt = System.nanoTime();
    http.post(uri, security.headers(), body).whenComplete((response, failure) -> {
      maxAnswerMillis.accumulateAndGet((System.nanoTime() - sentAt) / 1_000_000, Math::max);
      try {
        thread.execute(() -> {
          a.heartbeating = false;
          inFlight--;
          if (failure != null) {
            log.debug("heartbeat of {} failed: {}", a.hostname, failure.toString());
          } else if (response.status() == 404) {
            forgotten.accept(new ForgottenAgent(a, id));
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // The simulator is closing.
      }
    });
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
