package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.core.id.AgentId;
import io.trellis.core.id.FrameworkId;
import io.trellis.core.id.OfferId;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resource;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import io.trellis.testkit.SimulatedTime;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random workloads through the public allocator API give the same decisions as the allocator
 * before its filters, offers and per-agent state moved into flat structures: every offer (id,
 * framework, role, agent, resources), every rescind with its reason, every refused call's
 * message, the allocations, shares and reasons after each step are written to a trace, and the
 * trace's digest for each seed must equal the one that allocator produced (recorded below). A
 * change that alters any decision changes a digest; if it is meant to, record the new digests
 * ({@link #main} prints them) and say why in the commit.
 */
class AllocatorTraceTest {
  /** Digests of the traces of seeds 1 to 12 as the allocator of commit a838960 wrote them. */
  private static final List<String> RECORDED = List.of(
      "65bbc56eaa6c991f", "42f4f622beea94d0", "c0a1157a89513105", "29cc7d449b1f6f2e",
      "fa043010f9b200b6", "c7587d3bd9904d25", "3955b9de10e472ea", "3bd22eee05c88018",
      "949accd780718f2f", "55aade74f18f0f48", "f5327dcceaa3e989", "bd448aabd76ce2cd");

  @Test
  void randomWorkloadsGiveTheRecordedDecisions() {
    List<String> digests = new ArrayList<>();
    for (int seed = 1; seed <= RECORDED.size(); seed++) {
      digests.add(digest(trace(seed, 400)));
    }
    assertEquals(RECORDED, digests);
  }

  /** Digests of the crowded traces of seeds 1 to 6 as the allocator of commit a838960 wrote them. */
  private static final List<String> RECORDED_CROWDED = List.of(
      "c26b6b7018b8d365", "ba9f9f1f0adeaca3", "5f0bb28c7931930b", "c5363f7e7c95b946",
      "2f5cf08bc5a46637", "fbe88ea5f50369ea");

  @Test
  void crowdedClustersGiveTheRecordedDecisions() {
    List<String> digests = new ArrayList<>();
    for (int seed = 1; seed <= RECORDED_CROWDED.size(); seed++) {
      digests.add(digest(crowded(seed, 150)));
    }
    assertEquals(RECORDED_CROWDED, digests);
  }

  /** Prints the digests, to record them from another build of the allocator. */
  public static void main(String[] args) {
    List<String> digests = new ArrayList<>();
    List<String> crowded = new ArrayList<>();
    for (int seed = 1; seed <= Integer.parseInt(args[0]); seed++) {
      digests.add(digest(trace(seed, 400)));
      crowded.add(digest(crowded(seed, 150)));
    }
    System.out.println(digests);
    System.out.println(crowded);
  }

  /**
   * Many frameworks (more than the walk of a role's frameworks steps through one by one) and
   * agents, most frameworks declaring the smallest offer they can use, declining with long
   * filters or launching part of what they are offered; now and then one revives or releases.
   */
  static String crowded(long seed, int cycles) {
    Random random = new Random(seed);
    SimulatedTime time = new SimulatedTime();
    StringBuilder out = new StringBuilder();
    List<Offer> made = new ArrayList<>();
    OfferListener listener = new OfferListener() {
      @Override
      public void offered(List<Offer> offers) {
        made.addAll(offers);
      }

      @Override
      public void rescinded(Offer offer, String reason) {
        out.append("rescind ").append(offer.id()).append(' ').append(reason).append('\n');
      }
    };
    HierarchicalAllocator allocator = new HierarchicalAllocator(
        AllocatorConfig.DEFAULTS.withFairOffers(random.nextBoolean()), time, time, listener);
    String[] roles = {"a", "b", "*"};
    String[] needs = {"cpus:1;mem:2048", "cpus:2;mem:1024", "cpus:0.5;mem:4096", ""};
    List<FrameworkId> frameworks = new ArrayList<>();
    Map<FrameworkId, String> roleOf = new LinkedHashMap<>();
    int needChoices = random.nextBoolean() ? needs.length : needs.length - 1;
    for (int f = 0; f < 150; f++) {
      FrameworkId id = FrameworkId.of("fw-" + f);
      String role = roles[random.nextInt(5) > 0 ? 0 : random.nextInt(3)];
      allocator.addFramework(id, Set.of(role), true);
      String need = needs[random.nextInt(needChoices)];
      if (!need.isEmpty()) {
        allocator.setMinimumOffer(id, role, Resources.parse(need));
      }
      frameworks.add(id);
      roleOf.put(id, role);
    }
    for (int a = 0; a < 40; a++) {
      allocator.addAgent(AgentId.of("agent-" + a), "host-" + a, Resources.parse("cpus:"
          + (1 + random.nextInt(8)) + ";mem:" + 1024 * (1 + random.nextInt(8))
          + ";ports:[31000-31003]"), Attributes.NONE, List.of());
    }
    List<Allocation> inUse = new ArrayList<>();
    List<AgentId> inUseOn = new ArrayList<>();
    for (int c = 0; c < cycles; c++) {
      time.advance(Duration.ofSeconds(1));
      List<Offer> now = new ArrayList<>(made);
      made.clear();
      for (Offer o : now) {
        out.append("offer ").append(o.id()).append(' ').append(o.frameworkId()).append(' ')
            .append(o.agentId()).append(' ').append(o.resources()).append('\n');
        int dice = random.nextInt(20);
        if (dice < 19) {
          allocator.decline(o.id(), Duration.ofSeconds(random.nextInt(8) == 0 ? 3 : 3600));
        } else {
          Resources used = part(random, o.resources());
          allocator.accept(o.id(), used, Duration.ofSeconds(3600));
          if (!used.isEmpty()) {
            inUse.add(new Allocation(o.frameworkId(), o.role(), used));
            inUseOn.add(o.agentId());
          }
        }
      }
      if (random.nextInt(2) == 0 && !inUse.isEmpty()) {
        int i = random.nextInt(inUse.size());
        Allocation u = inUse.remove(i);
        allocator.release(u.frameworkId(), u.role(), inUseOn.remove(i), u.resources());
      }
      if (random.nextInt(10) == 0) {
        allocator.revive(pick(random, frameworks), Set.of());
      }
      for (FrameworkId f : frameworks) {
        out.append(allocator.allocated(f, roleOf.get(f))).append(';');
      }
      out.append('\n');
    }
    return out.toString();
  }

  static String trace(long seed, int steps) {
    Random random = new Random(seed);
    SimulatedTime time = new SimulatedTime();
    StringBuilder out = new StringBuilder();
    Map<OfferId, Offer> outstanding = new LinkedHashMap<>();
    OfferListener listener = new OfferListener() {
      @Override
      public void offered(List<Offer> offers) {
        for (Offer o : offers) {
          outstanding.put(o.id(), o);
          out.append("offer ").append(o.id()).append(' ').append(o.frameworkId()).append(' ')
              .append(o.role()).append(' ').append(o.agentId()).append(' ').append(o.resources())
              .append(' ').append(o.gang()).append('\n');
        }
      }

      @Override
      public void rescinded(Offer offer, String reason) {
        outstanding.remove(offer.id());
        out.append("rescind ").append(offer.id()).append(' ').append(reason).append('\n');
      }
    };
    AllocatorConfig config = AllocatorConfig.DEFAULTS.withOfferTimeout(
        random.nextBoolean() ? Duration.ofSeconds(30) : null).withFairOffers(random.nextBoolean());
    HierarchicalAllocator allocator = new HierarchicalAllocator(config, time, time, listener);
    String[] roles = {"a", "b", "a/x"};
    List<AgentId> agents = new ArrayList<>();
    List<FrameworkId> frameworks = new ArrayList<>();
    Map<FrameworkId, String> roleOf = new LinkedHashMap<>();
    List<Allocation> inUse = new ArrayList<>();
    List<AgentId> inUseOn = new ArrayList<>();
    int agentNames = 0;
    int frameworkNames = 0;
    int demands = 0;
    for (int step = 0; step < steps; step++) {
      int dice = random.nextInt(100);
      try {
        if (dice < 8 || agents.isEmpty()) {
          AgentId id = AgentId.of("agent-" + agentNames++);
          String reserved = random.nextInt(4) == 0 ? ";cpus(" + roles[random.nextInt(3)] + "):2" : "";
          allocator.addAgent(id, id + ".host", Resources.parse("cpus:" + (2 + random.nextInt(7))
              + ";mem:" + 1024 * (1 + random.nextInt(8)) + ";disk:1000;ports:[31000-31009]" + reserved),
              Attributes.NONE, List.of());
          agents.add(id);
        } else if (dice < 14 || frameworks.isEmpty()) {
          FrameworkId id = FrameworkId.of("fw-" + frameworkNames++);
          String role = roles[random.nextInt(roles.length)];
          allocator.addFramework(id, Set.of(role), true);
          frameworks.add(id);
          roleOf.put(id, role);
        } else if (dice < 50 && !outstanding.isEmpty()) {
          Offer o = pick(random, new ArrayList<>(outstanding.values()));
          outstanding.remove(o.id());
          Duration refuse = Duration.ofSeconds(random.nextInt(3) * 10L);
          if (random.nextBoolean()) {
            allocator.decline(o.id(), refuse);
          } else {
            Resources used = part(random, o.resources());
            allocator.accept(o.id(), used, refuse);
            if (!used.isEmpty()) {
              inUse.add(new Allocation(o.frameworkId(), o.role(), used));
              inUseOn.add(o.agentId());
            }
          }
        } else if (dice < 60 && !inUse.isEmpty()) {
          int i = random.nextInt(inUse.size());
          Allocation u = inUse.get(i);
          Resources back = random.nextInt(5) == 0 ? u.resources() : part(random, u.resources());
          if (random.nextInt(10) == 0) {
            back = back.plus(Resources.parse("cpus:1"));
          }
          allocator.release(u.frameworkId(), u.role(), inUseOn.get(i), back);
          Resources left = u.resources().minus(back);
          if (left.isEmpty()) {
            inUse.remove(i);
            inUseOn.remove(i);
          } else {
            inUse.set(i, new Allocation(u.frameworkId(), u.role(), left));
          }
        } else if (dice < 62) {
          FrameworkId f = pick(random, frameworks);
          int count = 1 + random.nextInt(4);
          Demand.Gang gang = random.nextBoolean() ? null
              : new Demand.Gang(1 + random.nextInt(count), Duration.ofSeconds(20), random.nextBoolean());
          allocator.request(f, List.of(new Demand("d" + demands++, roleOf.get(f),
              Resources.parse("cpus:1;mem:512"), count, List.of(), gang)));
        } else if (dice < 64) {
          FrameworkId f = pick(random, frameworks);
          if (random.nextBoolean()) {
            allocator.suppress(f, Set.of());
          } else {
            allocator.revive(f, Set.of());
          }
        } else if (dice < 67) {
          allocator.setMaintenance(pick(random, agents), random.nextBoolean());
        } else if (dice < 69) {
          AgentId a = agents.remove(random.nextInt(agents.size()));
          allocator.removeAgent(a);
        } else if (dice < 71) {
          FrameworkId f = frameworks.remove(random.nextInt(frameworks.size()));
          allocator.removeFramework(f);
          outstanding.values().removeIf(o -> o.frameworkId().equals(f));
        } else if (dice < 73) {
          allocator.setActive(pick(random, frameworks), random.nextInt(3) > 0);
        } else if (dice < 75) {
          allocator.updateAgent(pick(random, agents),
              Resources.parse("cpus:" + (4 + random.nextInt(6)) + ";mem:8192;disk:1000;ports:[31000-31009]"));
        } else if (dice < 77) {
          allocator.setQuota(roles[random.nextInt(2)], Quota.of("cpus:" + random.nextInt(6), ""));
        } else if (dice < 79) {
          allocator.setWeight(roles[random.nextInt(3)], 1 + random.nextInt(3));
        } else if (dice < 81 && !outstanding.isEmpty()) {
          Offer o = pick(random, new ArrayList<>(outstanding.values()));
          allocator.rescind(o.id(), "taken back");
        } else {
          time.advance(Duration.ofMillis(random.nextInt(4) == 0 ? 15_000 : 10));
        }
      } catch (RuntimeException e) {
        out.append("refused ").append(e.getClass().getSimpleName()).append(' ')
            .append(e.getMessage()).append('\n');
      }
      for (FrameworkId f : frameworks) {
        String role = roleOf.get(f);
        out.append(f).append(' ').append(allocator.allocated(f, role)).append(' ')
            .append(String.format("%.6f", allocator.frameworkShare(f, role))).append('\n');
        if (step % 20 == 0) {
          allocator.explain(f, role).forEach(r -> out.append(r).append('\n'));
        }
      }
      out.append(allocator.outstandingOffers().size()).append(" outstanding ")
          .append(allocator.gangCounts()).append(' ').append(allocator.heldByRole()).append('\n');
    }
    return out.toString();
  }

  /** A random part of {@code r}: some of its entries, scalars halved or whole, some ports. */
  private static Resources part(Random random, Resources r) {
    List<Resource> out = new ArrayList<>();
    for (Resource e : r.entries()) {
      int choice = random.nextInt(3);
      if (choice == 0) {
        continue;
      }
      if (e.isScalar()) {
        long millis = choice == 1 ? e.millis() / 2 : e.millis();
        if (millis > 0) {
          out.add(new Resource(e.name(), e.role(), millis, null));
        }
      } else if (e.ranges().size() > 0) {
        out.add(Resource.ranges(e.name(), e.role(), e.ranges().first(1 + random.nextInt((int) e.ranges().size()))));
      }
    }
    return Resources.of(out);
  }

  private static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private static String digest(String trace) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(trace.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
