package io.trellis.allocator;

import io.trellis.core.id.FrameworkId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Frameworks and their subscriptions: one per (framework, role), indexed by a reusable slot. */
final class Subscriptions {
  /** A registered framework. */
  static final class Framework {
    final FrameworkId id;
    final Map<String, Integer> subs = new LinkedHashMap<>();
    boolean active;
    /**
     * Roles the framework subscribed to; its subscriptions under other roles only hold resources
     * that agents reported before it subscribed, and are never offered more.
     */
    Set<String> roles = Set.of();
    /** Known only from resources reported by agents; not yet subscribed. */
    boolean recovered;
    /** Orders the framework within its roles: higher first. */
    int priority;

    Framework(FrameworkId id) {
      this.id = id;
    }
  }

  final Map<FrameworkId, Framework> frameworks = new LinkedHashMap<>();
  Framework[] framework = new Framework[0];
  RoleNode[] role = new RoleNode[0];
  int[] client = new int[0];
  boolean[] suppressed = new boolean[0];
  boolean[] eligible = new boolean[0];
  /** Declared smallest usable offer per kind, or {@code null}. */
  long[][] need = new long[0][];
  /** Subscriptions with a declared need. */
  int declared;
  /** Number of live subscriptions. */
  int count;
  private int limit;
  private int[] freeSlots = new int[0];
  private int freeSlotCount;

  Framework framework(FrameworkId id) {
    Framework f = frameworks.get(id);
    if (f == null) {
      throw new IllegalArgumentException("unknown framework " + id);
    }
    return f;
  }

  int sub(FrameworkId id, String roleName) {
    Integer s = framework(id).subs.get(roleName);
    if (s == null) {
      throw new IllegalArgumentException("framework " + id + " is not subscribed to role " + roleName);
    }
    return s;
  }

  int add(Framework f, RoleNode node) {
    int s;
    if (freeSlotCount > 0) {
      s = freeSlots[--freeSlotCount];
    } else {
      s = limit++;
      if (limit > framework.length) {
        int cap = Math.max(16, limit * 2);
        framework = Arrays.copyOf(framework, cap);
        role = Arrays.copyOf(role, cap);
        client = Arrays.copyOf(client, cap);
        suppressed = Arrays.copyOf(suppressed, cap);
        eligible = Arrays.copyOf(eligible, cap);
        need = Arrays.copyOf(need, cap);
      }
    }
    framework[s] = f;
    role[s] = node;
    suppressed[s] = false;
    eligible[s] = false;
    need[s] = null;
    f.subs.put(node.name, s);
    count++;
    return s;
  }

  /** Sets (or clears, with {@code null}) the subscription's declared need. */
  void setNeed(int s, long[] n) {
    declared += (n != null ? 1 : 0) - (need[s] != null ? 1 : 0);
    need[s] = n;
  }

  void remove(int s) {
    framework[s] = null;
    role[s] = null;
    setNeed(s, null);
    if (freeSlotCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeSlotCount * 2));
    }
    freeSlots[freeSlotCount++] = s;
    count--;
  }

  int capacity() {
    return framework.length;
  }
}
