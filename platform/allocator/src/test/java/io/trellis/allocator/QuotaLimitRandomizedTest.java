package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frameworks accept, partly accept, decline, release, suppress and revive, and agents enter and
 * leave maintenance, at random. After every cycle and every answer the capped role (with its
 * child) stays within its limit, every framework's allocation is exactly its tasks plus its
 * outstanding offers, no agent gives out more than it has, and no agent in maintenance has an
 * outstanding offer.
 */
class QuotaLimitRandomizedTest {
  private static final double LIMIT = 3.0;
  private static final Duration[] REFUSALS = {Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(5)};

  private record Sub(FrameworkId framework, String role) {}

  private record Task(Sub sub, AgentId agent, Resources resources) {}

  private final TestCluster cluster = new TestCluster();
  private final Allocator allocator = cluster.allocator;
  private final Map<AgentId, Resources> totals = new LinkedHashMap<>();
  private final List<Sub> subs = new ArrayList<>();
  private final List<Task> tasks = new ArrayList<>();
  private final Set<AgentId> inMaintenance = new HashSet<>();
  private double mostCappedCpus;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 1234, 2026})
  void cappedRoleNeverExceedsItsLimit(long seed) {
    Random random = new Random(seed);
    allocator.setQuota("capped", Quota.of("", "cpus:" + LIMIT));
    allocator.setQuota("guaranteed", Quota.of("cpus:2;mem:2048", ""));
    for (int i = 0; i < 6; i++) {
      Resources total = Resources.parse("cpus:" + (1 + random.nextInt(8)) + "." + random.nextInt(10)
          + ";mem:" + 512 * (1 + random.nextInt(16)) + ";ports:[31000-31009]");
      AgentId agent = cluster.agent("a" + i, total.toString());
      totals.put(agent, total);
    }
    subscribe("c1", "capped");
    subscribe("c2", "capped");
    subscribe("c3", "capped/child");
    subscribe("g1", "guaranteed");
    subscribe("u1", "uncapped");
    cluster.listener.afterOffers = this::checkInvariants;

    for (int step = 0; step < 400; step++) {
      for (Offer offer : cluster.advance(Duration.ofMillis(1 + random.nextInt(3000)))) {
        answer(random, offer);
        checkInvariants();
      }
      if (!tasks.isEmpty() && random.nextInt(10) < 3) {
        Task t = tasks.remove(random.nextInt(tasks.size()));
        allocator.release(t.sub().framework(), t.sub().role(), t.agent(), t.resources());
      }
      if (random.nextInt(20) == 0) {
        Sub s = subs.get(random.nextInt(subs.size()));
        if (random.nextBoolean()) {
          allocator.suppress(s.framework(), Set.of(s.role()));
        } else {
          allocator.revive(s.framework(), Set.of(s.role()));
        }
      }
      if (random.nextInt(25) == 0) {
        List<AgentId> agents = new ArrayList<>(totals.keySet());
        AgentId agent = agents.get(random.nextInt(agents.size()));
        boolean maintenance = random.nextBoolean();
        allocator.setMaintenance(agent, maintenance);
        if (maintenance) {
          inMaintenance.add(agent);
        } else {
          inMaintenance.remove(agent);
        }
      }
      checkInvariants();
    }

    assertEquals(LIMIT, mostCappedCpus, 1e-9, "the capped role should have reached its limit");
  }

  private void subscribe(String id, String role) {
    subs.add(new Sub(cluster.framework(id, role), role));
  }

  private void answer(Random random, Offer offer) {
    Sub sub = new Sub(offer.frameworkId(), offer.role());
    int choice = random.nextInt(20);
    if (choice < 9) {
      allocator.accept(offer.id(), offer.resources(), Duration.ZERO);
      tasks.add(new Task(sub, offer.agentId(), offer.resources()));
    } else if (choice < 13) {
      Resources used = part(random, offer.resources());
      allocator.accept(offer.id(), used, REFUSALS[random.nextInt(REFUSALS.length)]);
      if (!used.isEmpty()) {
        tasks.add(new Task(sub, offer.agentId(), used));
      }
    } else {
      allocator.decline(offer.id(), REFUSALS[random.nextInt(REFUSALS.length)]);
    }
  }

  /** A random part of every scalar, plus the lowest port if there is one. */
  private static Resources part(Random random, Resources offered) {
    Resources used = Resources.empty();
    for (String name : offered.scalars().names()) {
      long millis = offered.millis(name);
      long take = millis == 0 ? 0 : (long) (random.nextDouble() * millis);
      if (take > 0) {
        used = used.plus(Resources.scalar(name, take / 1000.0));
      }
    }
    Ranges ports = offered.ranges("ports");
    if (!ports.isEmpty() && random.nextBoolean()) {
      used = used.plus(Resources.parse("ports:[" + ports.begin(0) + "-" + ports.begin(0) + "]"));
    }
    return used;
  }

  private void checkInvariants() {
    double cappedCpus = allocator.allocated(FrameworkId.of("c1"), "capped").scalar("cpus")
        + allocator.allocated(FrameworkId.of("c2"), "capped").scalar("cpus")
        + allocator.allocated(FrameworkId.of("c3"), "capped/child").scalar("cpus");
    assertTrue(cappedCpus <= LIMIT + 1e-9, "role capped holds " + cappedCpus + " cpus at "
        + cluster.time.instant() + ", over its limit " + LIMIT);
    mostCappedCpus = Math.max(mostCappedCpus, cappedCpus);

    List<Offer> outstanding = allocator.outstandingOffers();
    for (Sub sub : subs) {
      Resources expected = Resources.empty();
      for (Task t : tasks) {
        if (t.sub().equals(sub)) {
          expected = expected.plus(t.resources());
        }
      }
      for (Offer o : outstanding) {
        if (o.frameworkId().equals(sub.framework()) && o.role().equals(sub.role())) {
          expected = expected.plus(o.resources());
        }
      }
      assertEquals(expected, allocator.allocated(sub.framework(), sub.role()),
          sub + ": allocation should be its tasks plus its outstanding offers");
    }
    for (Offer o : outstanding) {
      assertFalse(inMaintenance.contains(o.agentId()), "offer on an agent in maintenance: " + o);
    }
    for (Map.Entry<AgentId, Resources> agent : totals.entrySet()) {
      Resources handedOut = Resources.empty();
      for (Task t : tasks) {
        if (t.agent().equals(agent.getKey())) {
          handedOut = handedOut.plus(t.resources());
        }
      }
      for (Offer o : outstanding) {
        if (o.agentId().equals(agent.getKey())) {
          handedOut = handedOut.plus(o.resources());
        }
      }
      assertTrue(agent.getValue().contains(handedOut),
          agent.getKey() + " has " + agent.getValue() + " but handed out " + handedOut);
    }
  }
}
