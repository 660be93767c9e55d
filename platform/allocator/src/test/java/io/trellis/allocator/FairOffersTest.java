package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.id.FrameworkId;
import io.trellis.core.resource.Resources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Frameworks that take every task that fits in an offer (as a services framework scaling an app
 * does): with fair offers, roles that declared their need share agents by weight from the first
 * cycle instead of whole agents going to whoever is first in line.
 */
class FairOffersTest {
  /** Takes as many tasks as fit in each offer and returns the rest. */
  static final class Greedy {
    final FrameworkId id;
    final String role;
    final Resources task;
    int tasks;

    Greedy(TestCluster cluster, String id, String role, String task, boolean declare) {
      this.id = cluster.framework(id, role);
      this.role = role;
      this.task = res(task);
      if (declare) {
        cluster.allocator.setMinimumOffer(this.id, role, this.task);
      }
    }

    void answer(HierarchicalAllocator allocator, Offer offer) {
      Resources used = Resources.empty();
      while (offer.resources().contains(used.plus(task))) {
        used = used.plus(task);
        tasks++;
      }
      if (used.isEmpty()) {
        allocator.decline(offer.id(), Duration.ZERO);
      } else {
        allocator.accept(offer.id(), used, Duration.ZERO);
      }
    }
  }

  private static void run(TestCluster cluster, List<Greedy> frameworks, int rounds) {
    for (int i = 0; i < rounds; i++) {
      for (Offer offer : cluster.cycle()) {
        for (Greedy g : frameworks) {
          if (g.id.equals(offer.frameworkId())) {
            g.answer(cluster.allocator, offer);
          }
        }
      }
    }
  }

  private static Map<String, Double> shares(TestCluster cluster, List<Greedy> frameworks) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Greedy g : frameworks) {
      out.put(g.role, cluster.allocator.roleShare(g.role));
    }
    return out;
  }

  @Test
  void rolesThatDeclareTheirNeedShareEachAgentByWeight() {
    TestCluster cluster = new TestCluster();
    cluster.allocator.setWeight("spark", 2);
    List<Greedy> fws = List.of(
        new Greedy(cluster, "services", "services", "cpus:0.25;mem:256", true),
        new Greedy(cluster, "spark", "spark", "cpus:1;mem:768", true),
        new Greedy(cluster, "storm", "storm", "cpus:0.5;mem:512", true),
        new Greedy(cluster, "hadoop", "hadoop", "cpus:1;mem:1024", true));
    for (int i = 0; i < 3; i++) {
      cluster.agent("a" + i, "cpus:3;mem:3072");
    }
    run(cluster, fws, 20);

    // Weighted fair shares: spark 0.4, the others 0.2; roleShare is the weighted share (share / weight).
    Map<String, Double> shares = shares(cluster, fws);
    assertEquals(0.2, shares.get("spark"), 0.12, shares::toString);
    for (String role : List.of("services", "storm", "hadoop")) {
      assertEquals(0.2, shares.get(role), 0.12, () -> role + " " + shares);
    }
    assertTrue(fws.stream().allMatch(g -> g.tasks > 0), fws.stream().map(g -> g.role + "=" + g.tasks).toList()::toString);
  }

  @Test
  void withoutFairOffersTheFirstRoleInLineTakesAWholeAgent() {
    TestCluster cluster = new TestCluster(AllocatorConfig.DEFAULTS.withFairOffers(false));
    List<Greedy> fws = List.of(
        new Greedy(cluster, "services", "services", "cpus:0.25;mem:256", true),
        new Greedy(cluster, "storm", "storm", "cpus:0.5;mem:512", true));
    cluster.agent("a0", "cpus:3;mem:3072");
    run(cluster, fws, 5);

    assertEquals(1, fws.stream().filter(g -> g.tasks > 0).count(), "one role took the only agent");
  }

  @Test
  void aNeedLargerThanTheFairRoomIsStillOfferedWholeWhileTheRoleIsBelowItsShare() {
    TestCluster cluster = new TestCluster();
    // Half of 3 cpus is 1.5, less than one task of the big role.
    Greedy big = new Greedy(cluster, "big", "big", "cpus:2;mem:512", true);
    Greedy small = new Greedy(cluster, "small", "small", "cpus:0.5;mem:256", true);
    cluster.agent("a0", "cpus:3;mem:3072");
    run(cluster, List.of(big, small), 5);

    assertEquals(1, big.tasks, "the big role got one whole task");
    assertEquals(2, small.tasks, "the small role got the rest");
  }

  @Test
  void frameworksWithoutADeclaredNeedGetWhatIsLeftWhole() {
    TestCluster cluster = new TestCluster();
    List<Greedy> fws = List.of(
        new Greedy(cluster, "declared", "declared", "cpus:1;mem:1024", true),
        new Greedy(cluster, "silent", "silent", "cpus:1;mem:1024", false));
    cluster.agent("a0", "cpus:4;mem:4096");
    run(cluster, fws, 1);

    // The declared role is capped at half the cluster in the first pass; the silent one gets the
    // other half whole in the second.
    assertEquals(2, fws.get(0).tasks);
    assertEquals(2, fws.get(1).tasks);
  }

  @Test
  void portsAreSplitWithTheScalarsOfACappedOffer() {
    TestCluster cluster = new TestCluster();
    Greedy a = new Greedy(cluster, "a", "a", "cpus:1;mem:1024", true);
    Greedy b = new Greedy(cluster, "b", "b", "cpus:1;mem:1024", true);
    cluster.agent("a0", "cpus:4;mem:4096;ports:[31000-31099]");
    List<Offer> offers = cluster.cycle();

    assertEquals(2, offers.size(), offers::toString);
    long total = 0;
    for (Offer o : offers) {
      long ports = o.resources().ranges("ports").size();
      assertTrue(ports >= 40 && ports <= 60, "about half the ports each: " + o);
      total += ports;
    }
    assertEquals(100, total, "every port offered once");
    assertEquals(0, a.tasks + b.tasks);
  }

  @Test
  void aPlainDemandNoAgentCouldHoldSetsNoMinimumUntilAnAgentCould() {
    TestCluster cluster = new TestCluster();
    FrameworkId f = cluster.framework("f", "r");
    cluster.agent("a0", "cpus:4;mem:4096");
    cluster.allocator.request(f, List.of(new Demand("huge", "r", res("cpus:1;mem:99999"), 1, List.of(), null)));
    assertEquals(1, TestCluster.offersTo(f, cluster.cycle()).size(), "still offered what the agents have");

    cluster.agent("big", "cpus:4;mem:131072");
    List<Offer> offers = cluster.cycle();
    assertTrue(TestCluster.offersTo(f, offers).stream().allMatch(o -> o.resources().scalar("mem") >= 99999),
        "once an agent could hold it, only offers that do: " + offers);
  }
}
