package io.trellis.master;

import io.trellis.core.id.AgentId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A new leader's recovery: over once every agent an earlier leader recorded has registered
 * again, or the agent timeout has passed since it took office (the rest are then unreachable
 * for good reason). Owned by the event loop; {@link #over} may be read from any thread.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);
  private final Set<AgentId> awaiting = new HashSet<>();
  private final InstantSource clock;
  private final Duration agentTimeout;
  private Instant since;
  private volatile boolean over;

  Recovery(InstantSource clock, Duration agentTimeout) {
    this.clock = clock;
    this.agentTimeout = agentTimeout;
  }

  /** An agent recorded by an earlier leader, expected to register again. */
  void expect(AgentId id) {
    awaiting.add(id);
  }

  /** Everything recorded is loaded: recovery runs from now. */
  void start() {
    since = clock.instant();
    check();
  }

  void registered(AgentId id) {
    if (awaiting.remove(id)) {
      check();
    }
  }

  /** Ends recovery if every agent is back or the agent timeout has passed. */
  void check() {
    if (over || since == null) {
      return;
    }
    if (awaiting.isEmpty() || Duration.between(since, clock.instant()).compareTo(agentTimeout) > 0) {
      over = true;
      log.info("recovery complete: {} of the recorded agents did not register again", awaiting.size());
    }
  }

  boolean over() {
    return over;
  }
}
