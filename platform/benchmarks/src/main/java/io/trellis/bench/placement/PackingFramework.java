package io.trellis.bench.placement;

import io.trellis.allocator.Allocator;
import io.trellis.allocator.Offer;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A framework that packs its pending tasks into the offers it holds, best fit first: each task
 * goes to the held offer with the least room that still fits it (and, under the unique-host
 * constraint, is on an agent its app does not use yet), its port taken in order from the offer's
 * ranges. Held offers sit in lists by how many more tasks they fit, so a placement costs a few
 * steps, not a scan of every offer. After a pass it accepts what it used of each offer; the
 * allocator takes the rest back and offers it again in its next cycle.
 */
final class PackingFramework {
  private static final String[] SCALARS = {Resources.CPUS, Resources.MEM};

  final FrameworkId id;
  private final int index;
  private final Workload workload;
  private final Shape task;
  /** Heads of the lists of held offers by how many more tasks they fit (the last: that many or more). */
  private final Held[] buckets;
  private final List<Held> touched = new ArrayList<>();
  private final Map<OfferId, Held> held = new HashMap<>();
  private final long[] usedMillis = new long[2];
  private int[] pending = new int[64];
  private int pendingCount;

  /** An offer the framework holds, and what the current pass has put into it. */
  private static final class Held {
    final Offer offer;
    final int agent;
    final Ranges ports;
    long room;
    int used;
    int bucket = -1;
    Held prev;
    Held next;

    Held(Offer offer, int agent, Ranges ports, long room) {
      this.offer = offer;
      this.agent = agent;
      this.ports = ports;
      this.room = room;
    }
  }

  PackingFramework(int index, Workload workload) {
    this.index = index;
    this.id = FrameworkId.of("framework-" + index);
    this.workload = workload;
    this.task = Shape.TASK;
    this.buckets = new Held[(int) Math.max(2, Shape.HOST.fits(task) + 1)];
  }

  String role() {
    return workload.role(index);
  }

  int pending() {
    return pendingCount;
  }

  void submit(int taskId) {
    if (pendingCount == pending.length) {
      pending = Arrays.copyOf(pending, pendingCount * 2);
    }
    pending[pendingCount++] = taskId;
  }

  /** Keeps an offer made to this framework; {@code agent} is the agent's index in the cluster. */
  void offered(Offer offer, int agent) {
    Resources r = offer.resources();
    Ranges ports = r.ranges(Resources.PORTS);
    long room = r.millis(Resources.CPUS) / task.cpusMillis();
    if (task.memMillis() > 0) {
      room = Math.min(room, r.millis(Resources.MEM) / task.memMillis());
    }
    if (task.ports() > 0) {
      room = Math.min(room, ports.size() / task.ports());
    }
    Held h = new Held(offer, agent, ports, room);
    held.put(offer.id(), h);
    link(h);
  }

  /** Forgets an offer the allocator took back. */
  void rescinded(Offer offer) {
    Held h = held.remove(offer.id());
    if (h == null) {
      throw new IllegalStateException("framework " + id + " does not hold the rescinded offer " + offer.id());
    }
    unlink(h);
  }

  /**
   * Places what it can of its pending tasks into its offers, records each placement and accepts
   * the used part of every offer it touched; returns how many tasks it placed.
   */
  int place(Allocator allocator, Placements out, AppHosts apps) {
    int kept = 0;
    for (int i = 0; i < pendingCount; i++) {
      int t = pending[i];
      int app = workload.appOf(t);
      Held h = bestFit(app, apps);
      if (h == null) {
        pending[kept++] = t;
        continue;
      }
      if (h.used == 0) {
        touched.add(h);
      }
      long portIndex = (long) h.used * task.ports();
      h.used++;
      h.room--;
      unlink(h);
      link(h);
      if (workload.uniqueHost()) {
        apps.add(app, h.agent);
      }
      int port = task.ports() > 0 ? (int) nth(h.ports, portIndex) : 0;
      out.add(t, app, index, h.agent, task.cpusMillis(), task.memMillis(), port);
    }
    int placed = pendingCount - kept;
    pendingCount = kept;
    for (Held h : touched) {
      unlink(h);
      held.remove(h.offer.id());
      usedMillis[0] = h.used * task.cpusMillis();
      usedMillis[1] = h.used * task.memMillis();
      Ranges ports = h.ports.first((long) h.used * task.ports());
      allocator.accept(h.offer.id(),
          Resources.fromMillis(SCALARS, usedMillis, 0, 2, Resources.PORTS, ports), Duration.ZERO);
    }
    touched.clear();
    return placed;
  }

  /** Declines every offer still held, refusing its agent for {@code filter}. */
  void declineHeld(Allocator allocator, Duration filter) {
    for (int b = 0; b < buckets.length; b++) {
      for (Held h = buckets[b]; h != null; h = h.next) {
        allocator.decline(h.offer.id(), filter);
      }
      buckets[b] = null;
    }
    held.clear();
  }

  /** The held offer with the least room that fits a task of {@code app}, or null. */
  private Held bestFit(int app, AppHosts apps) {
    for (int b = 1; b < buckets.length; b++) {
      for (Held h = buckets[b]; h != null; h = h.next) {
        if (!workload.uniqueHost() || !apps.has(app, h.agent)) {
          return h;
        }
      }
    }
    return null;
  }

  private void link(Held h) {
    int b = (int) Math.min(h.room, buckets.length - 1);
    h.bucket = b;
    h.prev = null;
    h.next = buckets[b];
    if (h.next != null) {
      h.next.prev = h;
    }
    buckets[b] = h;
  }

  private void unlink(Held h) {
    if (h.bucket < 0) {
      return;
    }
    if (h.prev != null) {
      h.prev.next = h.next;
    } else {
      buckets[h.bucket] = h.next;
    }
    if (h.next != null) {
      h.next.prev = h.prev;
    }
    h.prev = null;
    h.next = null;
    h.bucket = -1;
  }

  /** The {@code n}th value (from 0) of a range set. */
  static long nth(Ranges ranges, long n) {
    long left = n;
    for (int i = 0; i < ranges.intervalCount(); i++) {
      long len = ranges.end(i) - ranges.begin(i) + 1;
      if (left < len) {
        return ranges.begin(i) + left;
      }
      left -= len;
    }
    throw new IllegalArgumentException("ranges " + ranges + " hold fewer than " + (n + 1) + " values");
  }
}
