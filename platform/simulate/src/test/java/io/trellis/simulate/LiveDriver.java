package io.trellis.simulate;

import io.trellis.allocator.AllocatorConfig;
import io.trellis.allocator.DemandStatus;
import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.Offer;
import io.trellis.allocator.OfferListener;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.time.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * A second allocator driven the way the master drives its own: one event loop whose queue holds
 * everything that reaches the master (a framework's calls, an agent's status update, the
 * allocator's timers) in the order it arrives, the framework's answers sent back as events after
 * each batch of offers. Its clock only moves from one event to the next; it shares no code with
 * {@link Replay} but the frameworks' scheduling ({@link SimFramework}).
 */
final class LiveDriver implements OfferListener {
  private record Event(long at, long seq, Runnable work) {}

  private final PriorityQueue<Event> queue = new PriorityQueue<>((x, y) -> x.at() != y.at()
      ? Long.compare(x.at(), y.at()) : Long.compare(x.seq(), y.seq()));
  private long now;
  private long seq;
  private final InstantSource clock = () -> Instant.EPOCH.plusMillis(now);
  private final Timer timer = (delay, work) -> {
    Event e = new Event(now + Math.max(0, delay.toMillis()), seq++, work);
    queue.add(e);
    return () -> queue.remove(e);
  };
  private final HierarchicalAllocator allocator =
      new HierarchicalAllocator(AllocatorConfig.DEFAULTS, clock, timer, this, "live-O");
  private final Map<FrameworkId, SimFramework> frameworks = new LinkedHashMap<>();
  final List<Placement> placements = new ArrayList<>();
  private int running;

  List<Placement> run(Trace trace, ClusterSpec cluster, Map<String, RoleSpec> roles) {
    for (int i = 1; i <= cluster.agents(); i++) {
      String name = String.format("agent-%05d", i);
      allocator.addAgent(AgentId.of(name), name, cluster.agentResources(), Attributes.NONE, List.of());
    }
    // As an operator would set them, in name order (the replay does the same).
    new java.util.TreeMap<>(roles).values().forEach(r -> {
      allocator.setWeight(r.name(), r.weight());
      allocator.setQuota(r.name(), r.quota());
    });
    Map<String, TreeSet<String>> subscribed = new LinkedHashMap<>();
    trace.groups().forEach(g -> subscribed.computeIfAbsent(g.framework(), f -> new TreeSet<>()).add(g.role()));
    subscribed.forEach((name, frameworkRoles) -> {
      FrameworkId id = FrameworkId.of(name);
      SimFramework f = new SimFramework(id, frameworkRoles, allocator, Duration.ofSeconds(5), Duration.ofMinutes(15));
      f.subscribe();
      frameworks.put(id, f);
    });
    for (int i = 0; i < trace.groups().size(); i++) {
      TaskGroup g = trace.groups().get(i);
      SimFramework.Waiting w = new SimFramework.Waiting(i, g, g.submitMillis(), g.count(), g.gang() > 0);
      timer.schedule(Duration.ofMillis(g.submitMillis()), () -> frameworks.get(FrameworkId.of(g.framework())).submit(w));
    }
    long lastSubmit = trace.groups().get(trace.groups().size() - 1).submitMillis();
    while (!queue.isEmpty()) {
      Event e = queue.poll();
      now = e.at();
      e.work().run();
      boolean waiting = frameworks.values().stream().anyMatch(f -> f.waitingTasks() > 0);
      if (now > lastSubmit && running == 0 && !waiting) {
        break;
      }
    }
    return placements;
  }

  @Override
  public void offered(List<Offer> offers) {
    timer.schedule(Duration.ZERO, () -> {
      Map<FrameworkId, List<Offer>> mine = new LinkedHashMap<>();
      offers.forEach(o -> mine.computeIfAbsent(o.frameworkId(), k -> new ArrayList<>()).add(o));
      mine.forEach((id, list) -> frameworks.get(id).answer(list, (f, from, offer, gang) -> {
        placements.add(new Placement(now, f.id.value(), offer.role(), offer.agentId().value(), from.group.shape(),
            now - from.submitMillis, gang));
        running++;
        timer.schedule(Duration.ofMillis(from.group.durationMillis()), () -> {
          running--;
          allocator.release(f.id, from.group.role(), offer.agentId(), from.group.shape());
        });
      }));
    });
  }

  @Override
  public void rescinded(Offer offer, String reason) {}

  @Override
  public void gangChanged(DemandStatus status) {
    frameworks.get(status.framework()).gangChanged(status);
  }
}
