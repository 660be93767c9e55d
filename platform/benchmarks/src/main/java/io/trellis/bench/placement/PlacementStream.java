package io.trellis.bench.placement;

import io.trellis.allocator.AllocatorConfig;
import io.trellis.allocator.HierarchicalAllocator;
import io.trellis.allocator.Offer;
import io.trellis.allocator.OfferListener;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import io.trellis.testkit.SimulatedTime;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One stream of a {@link Workload} through the real {@link HierarchicalAllocator} on a paused
 * clock, with one {@link PackingFramework} per framework, all in memory.
 *
 * <p>Untimed: registering the frameworks (each declares its task as the smallest offer worth
 * making) and the agents, the first cycle that offers every agent, then a full GC, as Fenzo's
 * harness offers every host once before it starts. Timed, per batch: handing the batch's tasks to
 * their frameworks, then allocation cycles (which offer again what earlier accepts left over),
 * packing and accepts until the whole batch is placed. The placements are checked afterwards by
 * {@link PlacementChecker}.
 *
 * <p>Frameworks that hold their offers can starve one that holds only agents its apps already
 * use. The allocator's offer timeout is what frees such offers, in Mesos as here: when a cycle
 * neither offers nor places while tasks wait, the paused clock jumps past the timeout, the
 * allocator rescinds every offer held since, and offers the agents again in DRF order. That
 * costs a cycle over every agent, and it is timed; {@link Result#stalls} counts it.
 */
final class PlacementStream implements OfferListener {
  /** How long an offer may stay outstanding; the clock only moves when a batch stalls. */
  static final Duration OFFER_TIMEOUT = Duration.ofSeconds(30);
  /** Stalls one batch may hit before the stream gives up on it. */
  private static final int MAX_STALLS_PER_BATCH = 3;

  /** What one stream did: per-batch times in nanoseconds and the checker's verdict. */
  record Result(Workload workload, int asked, int placed, long[] batchNs, long cycles, long offers,
      int stalls, long gcMs, long gcCount, List<String> violations) {
    long timedNs() {
      long sum = 0;
      for (long ns : batchNs) {
        sum += ns;
      }
      return sum;
    }

    double tasksPerSecond() {
      return placed / (timedNs() / 1e9);
    }
  }

  private final Workload workload;
  private final SimulatedTime time = new SimulatedTime();
  private final HierarchicalAllocator allocator;
  private final PackingFramework[] frameworks;
  private final Map<FrameworkId, PackingFramework> byId = new HashMap<>();
  private final Map<AgentId, Integer> agentIndex = new HashMap<>();
  private final boolean[] suppressed;
  private final Placements placements;
  private final AppHosts apps;
  private long cycles;
  private long offers;
  private int stalls;

  private PlacementStream(Workload workload) {
    this.workload = workload;
    this.allocator = new HierarchicalAllocator(AllocatorConfig.DEFAULTS.withOfferTimeout(OFFER_TIMEOUT),
        time, time, this);
    this.frameworks = new PackingFramework[workload.frameworks()];
    this.suppressed = new boolean[frameworks.length];
    this.placements = new Placements(workload.tasks());
    this.apps = new AppHosts(workload.apps(), workload.instancesPerApp());
  }

  /** Runs the whole stream and checks every placement it made. */
  static Result run(Workload workload) {
    return new PlacementStream(workload).stream();
  }

  private Result stream() {
    Resources need = Resources.fromMillis(new String[] {Resources.CPUS, Resources.MEM},
        new long[] {Shape.TASK.cpusMillis(), Shape.TASK.memMillis()}, 0, 2, Resources.PORTS,
        Ranges.empty());
    for (int f = 0; f < frameworks.length; f++) {
      PackingFramework fw = new PackingFramework(f, workload);
      frameworks[f] = fw;
      byId.put(fw.id, fw);
      allocator.addFramework(fw.id, Set.of(fw.role()), true);
      allocator.setMinimumOffer(fw.id, fw.role(), need);
    }
    Resources host = Shape.HOST.resources();
    for (int a = 0; a < workload.hosts(); a++) {
      AgentId id = AgentId.of("agent-" + a);
      agentIndex.put(id, a);
      allocator.addAgent(id, "host-" + a, host, Attributes.NONE, List.of());
    }
    allocator.allocate();
    if (workload.offers() == Workload.OfferUse.DECLINE) {
      for (int f = 0; f < frameworks.length; f++) {
        frameworks[f].declineHeld(allocator, workload.declineFilter());
        allocator.suppress(frameworks[f].id, Set.of());
        suppressed[f] = true;
      }
    }
    offers = 0;
    System.gc();

    int asked = workload.tasks();
    long[] batchNs = new long[workload.batches()];
    long[] gc0 = gc();
    int done = 0;
    boolean stuck = false;
    for (int b = 0; b < batchNs.length && !stuck; b++) {
      int first = b * workload.batch();
      int last = Math.min(first + workload.batch(), asked);
      long start = System.nanoTime();
      for (int t = first; t < last; t++) {
        frameworks[workload.frameworkOfApp(workload.appOf(t))].submit(t);
      }
      stuck = !placeBatch(last - first);
      batchNs[b] = System.nanoTime() - start;
      done++;
    }
    long[] gc1 = gc();
    List<String> violations = new PlacementChecker(Shape.HOST, workload.hosts(), workload.uniqueHost())
        .check(placements, asked);
    return new Result(workload, asked, placements.size(), Arrays.copyOf(batchNs, done),
        cycles, offers, stalls, gc1[1] - gc0[1], gc1[0] - gc0[0], violations);
  }

  /** Cycles until the batch's tasks are all placed; false when a cycle neither offers nor places. */
  private boolean placeBatch(int tasks) {
    boolean declining = workload.offers() == Workload.OfferUse.DECLINE;
    if (declining) {
      for (int f = 0; f < frameworks.length; f++) {
        if (suppressed[f] && frameworks[f].pending() > 0) {
          allocator.revive(frameworks[f].id, Set.of());
          suppressed[f] = false;
        }
      }
    }
    int left = tasks;
    int stalled = 0;
    while (left > 0) {
      List<Offer> made = allocator.allocate();
      cycles++;
      int placed = 0;
      for (PackingFramework fw : frameworks) {
        if (fw.pending() > 0) {
          placed += fw.place(allocator, placements, apps);
        }
      }
      if (declining) {
        for (int f = 0; f < frameworks.length; f++) {
          frameworks[f].declineHeld(allocator, workload.declineFilter());
          if (frameworks[f].pending() == 0 && !suppressed[f]) {
            allocator.suppress(frameworks[f].id, Set.of());
            suppressed[f] = true;
          }
        }
      }
      left -= placed;
      if (made.isEmpty() && placed == 0) {
        if (++stalled > MAX_STALLS_PER_BATCH) {
          return false;
        }
        stalls++;
        // The offer timeout passes: the allocator rescinds what was held and offers it again.
        time.advance(OFFER_TIMEOUT);
      }
    }
    return true;
  }

  @Override
  public void offered(List<Offer> made) {
    offers += made.size();
    for (Offer o : made) {
      byId.get(o.frameworkId()).offered(o, agentIndex.get(o.agentId()));
    }
  }

  @Override
  public void rescinded(Offer offer, String reason) {
    byId.get(offer.frameworkId()).rescinded(offer);
  }

  private static long[] gc() {
    long count = 0;
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      ms += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, ms};
  }
}
