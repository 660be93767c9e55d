package io.trellis.allocator;

import io.trellis.allocator.DemandStatus.State;
import io.trellis.core.id.FrameworkId;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** One stated demand; a gang carries its state and hold. */
final class GangEntry {
  final FrameworkId framework;
  final Demand demand;
  final int sub;
  final long seq;
  /** When the gang started waiting: its first REQUEST, or when its offers were taken back. */
  Instant since;
  final long[] member;
  State state;
  /** Members held, by agent slot. */
  final Map<Integer, Integer> held = new TreeMap<>();
  /**
   * For the holder only: agents chosen for members that do not fit yet, with what is held there
   * so far (never more than one member); each becomes a member once the rest frees up.
   */
  final Map<Integer, long[]> partial = new TreeMap<>();
  int fitting;
  String reason;
  /** A plain demand whose member no registered agent could hold, as judged at the last refresh. */
  boolean fitsNoAgent;

  GangEntry(FrameworkId framework, Demand demand, int sub, long seq, Instant since, long[] member) {
    this.framework = framework;
    this.demand = demand;
    this.sub = sub;
    this.seq = seq;
    this.since = since;
    this.member = member;
    this.state = demand.gang() == null ? null : State.WAITING;
  }

  boolean waits() {
    return state == State.WAITING || state == State.HELD;
  }

  /** Whether the gang holds any resources (members, or part of one). */
  boolean holds() {
    if (!held.isEmpty()) {
      return true;
    }
    for (long[] got : partial.values()) {
      for (long v : got) {
        if (v > 0) {
          return true;
        }
      }
    }
    return false;
  }

  int heldCount() {
    int n = 0;
    for (int m : held.values()) {
      n += m;
    }
    return n;
  }

  Instant deadline() {
    return since.plus(demand.gang().timeout());
  }
}
