package io.trellis.master;

import io.trellis.api.AgentProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kills and acknowledgements for agents, gathered on the master's loop and sent once the work
 * queued on the loop so far is done: per agent, all its kills in one call and all its
 * acknowledgements in another. A framework torn down with a hundred thousand tasks costs one call
 * per agent rather than one per task, and the launches of the next framework do not wait behind
 * a hundred thousand calls. Loop thread only.
 */
final class AgentOutbox {
  private final EventLoop loop;
  private final AgentClient agents;
  private Map<String, List<AgentProtocol.Kill>> kills = new LinkedHashMap<>();
  private Map<String, List<AgentProtocol.Acknowledge>> acknowledgements = new LinkedHashMap<>();
  private boolean flushQueued;

  AgentOutbox(EventLoop loop, AgentClient agents) {
    this.loop = loop;
    this.agents = agents;
  }

  void kill(String endpoint, AgentProtocol.Kill kill) {
    kills.computeIfAbsent(endpoint, e -> new ArrayList<>()).add(kill);
    queueFlush();
  }

  void acknowledge(String endpoint, List<AgentProtocol.Acknowledge> acks) {
    acknowledgements.computeIfAbsent(endpoint, e -> new ArrayList<>()).addAll(acks);
    queueFlush();
  }

  private void queueFlush() {
    if (!flushQueued) {
      flushQueued = true;
      loop.execute(this::flush);
    }
  }

  /** Sends what was gathered. */
  void flush() {
    flushQueued = false;
    Map<String, List<AgentProtocol.Kill>> k = kills;
    Map<String, List<AgentProtocol.Acknowledge>> a = acknowledgements;
    kills = new LinkedHashMap<>();
    acknowledgements = new LinkedHashMap<>();
    k.forEach(agents::kill);
    a.forEach(agents::acknowledge);
  }
}
