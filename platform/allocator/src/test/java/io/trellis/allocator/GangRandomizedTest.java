package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.DemandStatus.State;
import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frameworks state gangs and plain demands, accept or decline gang offers, end tasks, disconnect
 * and come back, while agents leave and return and the clock jumps past timeouts, at random.
 * After every step at most one gang holds resources, nothing is held twice, and in the end, once
 * every framework is gone, the whole cluster is free again: no hold is left behind.
 */
class GangRandomizedTest {
  private static final String[] ROLES = {"r1", "r2", "r3"};
  private static final String[] SHAPES = {"cpus:1;mem:512", "cpus:2;mem:1024", "cpus:4;mem:2048"};

  private record Task(FrameworkId framework, String role, AgentId agent, Resources resources) {}

  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;
  private final Map<AgentId, Resources> agents = new LinkedHashMap<>();
  private final List<FrameworkId> frameworks = new ArrayList<>();
  private final List<Task> tasks = new ArrayList<>();
  private final Set<FrameworkId> inactive = new java.util.HashSet<>();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 11, 99, 2026})
  void noHoldIsLeftBehindAndOnlyOneGangHoldsAtATime(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 5; i++) {
      addAgent("a" + i, random);
    }
    for (int i = 0; i < 4; i++) {
      frameworks.add(cluster.framework("f" + i, ROLES[i % ROLES.length]));
    }
    for (int step = 0; step < 400; step++) {
      act(random);
      answer(cluster.advance(Duration.ofMillis(5 + random.nextInt(3000))), random);
      long holding = frameworks.stream().flatMap(f -> allocator.demands(f).stream())
          .filter(d -> d.state() == State.HELD).count();
      assertTrue(holding <= 1, "step " + step + ": " + holding + " gangs hold at once");
    }
    for (FrameworkId f : frameworks) {
      allocator.removeFramework(f);
    }
    assertTrue(allocator.heldByRole().isEmpty(), allocator.heldByRole().toString());
    FrameworkId probe = cluster.framework("probe", "probe");
    Resources offered = Resources.empty();
    for (Offer o : TestCluster.offersTo(probe, cluster.cycle())) {
      offered = offered.plus(o.resources().scalars());
    }
    Resources total = Resources.empty();
    for (Resources r : agents.values()) {
      total = total.plus(r);
    }
    assertEquals(total, offered, "the whole cluster is free once every framework is gone");
  }

  private void addAgent(String id, Random random) {
    Resources total = res("cpus:" + (2 + 2 * random.nextInt(3)) + ";mem:" + 1024 * (1 + random.nextInt(4)));
    agents.put(cluster.agent(id, total.toString()), total);
  }

  private void act(Random random) {
    FrameworkId f = frameworks.get(random.nextInt(frameworks.size()));
    String role = ROLES[frameworks.indexOf(f) % ROLES.length];
    switch (random.nextInt(8)) {
      case 0, 1 -> {
        List<Demand> demands = new ArrayList<>();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
          int count = 1 + random.nextInt(4);
          Demand.Gang gang = random.nextInt(4) == 0 ? null : new Demand.Gang(1 + random.nextInt(count),
              Duration.ofSeconds(1 + random.nextInt(60)), random.nextBoolean());
          demands.add(new Demand("d" + random.nextInt(4) + "-" + i, role, res(SHAPES[random.nextInt(SHAPES.length)]),
              count, random.nextBoolean() ? List.of(GangTest.UNIQUE_HOST) : List.of(), gang));
        }
        allocator.request(f, demands);
      }
      case 2 -> {
        if (!tasks.isEmpty()) {
          Task t = tasks.remove(random.nextInt(tasks.size()));
          allocator.release(t.framework(), t.role(), t.agent(), t.resources());
        }
      }
      case 3 -> {
        boolean active = inactive.contains(f);
        allocator.setActive(f, active);
        if (active) {
          inactive.remove(f);
        } else {
          inactive.add(f);
        }
      }
      case 4 -> {
        if (random.nextInt(4) == 0 && agents.size() > 2) {
          AgentId gone = new ArrayList<>(agents.keySet()).get(random.nextInt(agents.size()));
          allocator.removeAgent(gone);
          agents.remove(gone);
          tasks.removeIf(t -> t.agent().equals(gone));
          addAgent(gone.value(), random);
        }
      }
      default -> { }
    }
  }

  /** Gang offers are used whole or declined; ordinary offers are declined. */
  private void answer(List<Offer> offers, Random random) {
    for (Offer o : offers) {
      if (o.gang() != null && random.nextInt(3) > 0) {
        allocator.accept(o.id(), o.resources(), Duration.ZERO);
        tasks.add(new Task(o.frameworkId(), o.role(), o.agentId(), o.resources()));
      } else {
        allocator.decline(o.id(), Duration.ofSeconds(random.nextInt(3)));
      }
    }
  }
}
