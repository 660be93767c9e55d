package io.trellis.allocator;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Resources;
import java.time.Instant;

/** Resources of one agent offered to one framework under one of its roles. */
public record Offer(OfferId id, FrameworkId frameworkId, String role, AgentId agentId,
    String hostname, Resources resources, Instant offeredAt) {}
