package io.trellis.allocator;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.Map;

/**
 * Where one demand of a framework stands, for the operator's view and the framework's events.
 *
 * @param state null for a plain demand
 * @param held what a gang holds, per agent (empty unless HELD)
 * @param membersFitting members of a gang that fit now (held ones included), or that fitted when
 *     it was offered, expired or failed
 * @param reason what keeps the rest of the members waiting, or why the gang expired or failed;
 *     null when nothing does
 * @param since when the framework first stated the demand
 */
public record DemandStatus(FrameworkId framework, Demand demand, State state,
    Map<AgentId, Resources> held, int membersFitting, String reason, Instant since) {

  /** The states of a gang; see the scheduler API's {@code GangState}. */
  public enum State { WAITING, HELD, OFFERED, EXPIRED, FAILED }

  public DemandStatus {
    held = Map.copyOf(held);
  }
}
