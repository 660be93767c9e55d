package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import java.util.Arrays;

/**
 * Builds the resources of offers from the cycle's flat rows. An agent whose free resources are
 * offered again unchanged (after a decline, a rescind or a finished task) gets the value built
 * for it last time: resources are immutable, and a steady cluster offers the same shapes cycle
 * after cycle, so most cycles build no resource objects at all.
 */
final class OfferShapes {
  private final Kinds kinds;
  private Resources[] last = new Resources[0];
  private Resources[] lastRanges = new Resources[0];
  private long[] lastScalars = new long[0];

  OfferShapes(Kinds kinds) {
    this.kinds = kinds;
  }

  void ensureAgents(int capacity) {
    if (capacity > last.length) {
      last = Arrays.copyOf(last, capacity);
      lastRanges = Arrays.copyOf(lastRanges, capacity);
      lastScalars = Arrays.copyOf(lastScalars, capacity * STRIDE);
    }
  }

  /** The unreserved scalars {@code scalars[offset..]} plus {@code ranges}, offered on the agent. */
  Resources of(int agent, long[] scalars, int offset, Resources ranges) {
    int base = agent * STRIDE;
    Resources known = last[agent];
    if (known != null && Arrays.equals(lastScalars, base, base + STRIDE, scalars, offset, offset + STRIDE)
        && (lastRanges[agent] == ranges || lastRanges[agent].equals(ranges))) {
      return known;
    }
    Resources built;
    if (ranges.size() == 1 && ranges.get(0).ranges() != null && !ranges.get(0).isReserved()) {
      Resource only = ranges.get(0);
      built = Resources.fromMillis(kinds.names(), scalars, offset, kinds.count(), only.name(), only.ranges());
    } else {
      built = kinds.toResources(scalars, offset).plus(ranges);
    }
    last[agent] = built;
    lastRanges[agent] = ranges;
    System.arraycopy(scalars, offset, lastScalars, base, STRIDE);
    return built;
  }

  /** The agent is gone; its slot may serve another agent. */
  void forget(int agent) {
    last[agent] = null;
    lastRanges[agent] = null;
  }
}
