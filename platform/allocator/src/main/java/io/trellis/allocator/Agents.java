package io.trellis.allocator;

import static io.trellis.allocator.Kinds.STRIDE;

import io.trellis.core.id.AgentId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent table: one row per agent in flat arrays, indexed by a slot that is reused after an
 * agent is removed. Scalars are kept per slot in {@link Kinds#STRIDE}-wide rows.
 */
final class Agents {
  private final Map<AgentId, Integer> slots = new HashMap<>();
  private int[] freeSlots = new int[0];
  private int freeSlotCount;
  /** One past the highest slot ever used. */
  int limit;
  int capacity;
  int count;

  AgentId[] ids = new AgentId[0];
  String[] hostnames = new String[0];
  Attributes[] attributes = new Attributes[0];
  Resources[] total = new Resources[0];
  boolean[] live = new boolean[0];
  boolean[] maintenance = new boolean[0];
  /** Scalar totals of every role, per slot. */
  long[] totalScalars = new long[0];
  /** Free unreserved scalars, per slot. */
  long[] free = new long[0];
  /** Free unreserved non-scalar resources (ports). */
  Resources[] freeRanges = new Resources[0];
  /** Free reserved resources, or {@code null} when the agent has none. */
  Resources[] freeReserved = new Resources[0];
  /**
   * What each subscription uses on the agent (accepted offers, resources reported in use at
   * registration), by subscription. What it holds there is this plus its outstanding offers.
   */
  Uses[] inUse = new Uses[0];

  int slot(AgentId id) {
    Integer s = slots.get(id);
    if (s == null) {
      throw new IllegalArgumentException("unknown agent " + id);
    }
    return s;
  }

  boolean contains(AgentId id) {
    return slots.containsKey(id);
  }

  int add(AgentId id) {
    if (slots.containsKey(id)) {
      throw new IllegalArgumentException("agent " + id + " is already registered");
    }
    int a;
    if (freeSlotCount > 0) {
      a = freeSlots[--freeSlotCount];
    } else {
      a = limit++;
      grow(limit);
    }
    slots.put(id, a);
    ids[a] = id;
    live[a] = true;
    maintenance[a] = false;
    inUse[a] = new Uses();
    count++;
    return a;
  }

  void remove(int a) {
    slots.remove(ids[a]);
    live[a] = false;
    ids[a] = null;
    hostnames[a] = null;
    attributes[a] = null;
    total[a] = null;
    freeRanges[a] = null;
    freeReserved[a] = null;
    inUse[a] = null;
    Arrays.fill(totalScalars, a * STRIDE, (a + 1) * STRIDE, 0L);
    Arrays.fill(free, a * STRIDE, (a + 1) * STRIDE, 0L);
    if (freeSlotCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeSlotCount * 2));
    }
    freeSlots[freeSlotCount++] = a;
    count--;
  }

  /** Whether the agent has reserved resources free for {@code role} or one of its ancestors. */
  boolean hasReservedFor(int a, String role) {
    Resources r = freeReserved[a];
    if (r == null) {
      return false;
    }
    for (String owner : r.reservationRoles()) {
      if (io.trellis.core.role.Role.isSelfOrAncestor(owner, role)) {
        return true;
      }
    }
    return false;
  }

  private void grow(int needed) {
    if (needed <= capacity) {
      return;
    }
    int cap = Math.max(64, Math.max(needed, capacity * 2));
    ids = Arrays.copyOf(ids, cap);
    hostnames = Arrays.copyOf(hostnames, cap);
    attributes = Arrays.copyOf(attributes, cap);
    total = Arrays.copyOf(total, cap);
    live = Arrays.copyOf(live, cap);
    maintenance = Arrays.copyOf(maintenance, cap);
    totalScalars = Arrays.copyOf(totalScalars, cap * STRIDE);
    free = Arrays.copyOf(free, cap * STRIDE);
    freeRanges = Arrays.copyOf(freeRanges, cap);
    freeReserved = Arrays.copyOf(freeReserved, cap);
    inUse = Arrays.copyOf(inUse, cap);
    capacity = cap;
  }
}
