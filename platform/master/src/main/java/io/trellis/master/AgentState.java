package io.trellis.master;

import io.trellis.core.id.AgentId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import java.time.Instant;

/** A registered agent; owned by the event loop. */
final class AgentState {
  final AgentId id;
  String hostname;
  String endpoint;
  Resources total;
  Attributes attributes;
  Instant lastSeen;
  boolean reachable = true;
  final Instant registeredAt;

  AgentState(AgentId id, Instant registeredAt) {
    this.id = id;
    this.registeredAt = registeredAt;
  }
}
