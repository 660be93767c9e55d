package io.trellis.allocator;

import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The offers made and not yet accepted, declined, rescinded or timed out: by id in the order they
 * were made, by agent (a list through the entries, so nothing is allocated to find or drop the
 * offers on one agent), and by timeout. What a subscription holds on an agent is what it uses
 * there ({@link Agents#inUse}) plus its entries here.
 */
final class OutstandingOffers {
  /** One outstanding offer. */
  static final class Entry {
    final Offer offer;
    final int sub;
    final int agent;
    final Instant expires;
    boolean live = true;
    private Entry prev;
    private Entry next;

    Entry(Offer offer, int sub, int agent, Instant expires) {
      this.offer = offer;
      this.sub = sub;
      this.agent = agent;
      this.expires = expires;
    }
  }

  private final Map<OfferId, Entry> byId = new LinkedHashMap<>();
  private Entry[] first = new Entry[0];
  private Entry[] last = new Entry[0];
  private final PriorityQueue<Entry> timeouts =
      new PriorityQueue<>((x, y) -> x.expires.compareTo(y.expires));

  void ensureAgents(int capacity) {
    if (capacity > first.length) {
      first = Arrays.copyOf(first, capacity);
      last = Arrays.copyOf(last, capacity);
    }
  }

  Entry get(OfferId id) {
    return byId.get(id);
  }

  int size() {
    return byId.size();
  }

  /** Adds an offer; {@code expires} is {@code null} when offers never time out. */
  Entry add(Offer offer, int sub, int agent, Instant expires) {
    Entry e = new Entry(offer, sub, agent, expires == null ? Instant.MAX : expires);
    byId.put(offer.id(), e);
    e.prev = last[agent];
    if (last[agent] == null) {
      first[agent] = e;
    } else {
      last[agent].next = e;
    }
    last[agent] = e;
    if (expires != null) {
      timeouts.add(e);
    }
    return e;
  }

  /** The offer is no longer outstanding. */
  void remove(Entry e) {
    byId.remove(e.offer.id());
    e.live = false;
    if (e.prev == null) {
      first[e.agent] = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      last[e.agent] = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }

  /** Every outstanding offer, in the order made; a copy, so callers may remove while walking it. */
  List<Entry> all() {
    return new ArrayList<>(byId.values());
  }

  /** The outstanding offers on the agent, in the order made; a copy. */
  List<Entry> onAgent(int agent) {
    List<Entry> out = new ArrayList<>();
    for (Entry e = first[agent]; e != null; e = e.next) {
      out.add(e);
    }
    return out;
  }

  /** Whether the subscription has an outstanding offer on the agent. */
  boolean any(int sub, int agent) {
    for (Entry e = first[agent]; e != null; e = e.next) {
      if (e.sub == sub) {
        return true;
      }
    }
    return false;
  }

  /** What the subscription's outstanding offers on the agent hold, or {@code null} for none. */
  Resources offered(int sub, int agent) {
    Resources sum = null;
    for (Entry e = first[agent]; e != null; e = e.next) {
      if (e.sub == sub) {
        sum = sum == null ? e.offer.resources() : sum.plus(e.offer.resources());
      }
    }
    return sum;
  }

  /** What every outstanding offer on the agent holds. */
  Resources offeredOn(int agent) {
    Resources sum = Resources.empty();
    for (Entry e = first[agent]; e != null; e = e.next) {
      sum = sum.plus(e.offer.resources());
    }
    return sum;
  }

  /** The first live offer whose timeout is at or before {@code now}, taken off the timeouts; or null. */
  Entry pollTimedOut(Instant now) {
    while (!timeouts.isEmpty() && !timeouts.peek().expires.isAfter(now)) {
      Entry e = timeouts.poll();
      if (e.live) {
        return e;
      }
    }
    return null;
  }

  /** When the next live offer times out, or {@code null}. */
  Instant nextTimeout() {
    while (!timeouts.isEmpty() && !timeouts.peek().live) {
      timeouts.poll();
    }
    return timeouts.isEmpty() ? null : timeouts.peek().expires;
  }

  /** The offers in the order made (for the API); a new list. */
  List<Offer> offers() {
    List<Offer> out = new ArrayList<>(byId.size());
    byId.values().forEach(e -> out.add(e.offer));
    return out;
  }
}
