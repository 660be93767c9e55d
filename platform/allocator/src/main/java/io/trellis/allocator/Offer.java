package io.trellis.allocator;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Resources;
import java.time.Instant;

/**
 * Resources of one agent offered to one framework under one of its roles; {@code gang} names
 * the gang demand the offer was made for, or is null.
 */
public record Offer(OfferId id, FrameworkId frameworkId, String role, AgentId agentId,
    String hostname, Resources resources, Instant offeredAt, String gang) {

  /** An offer made for no gang. */
  public Offer(OfferId id, FrameworkId frameworkId, String role, AgentId agentId, String hostname,
      Resources resources, Instant offeredAt) {
    this(id, frameworkId, role, agentId, hostname, resources, offeredAt, null);
  }
}
