package io.trellis.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code trellis simulate} decides as the live allocator does: the same trace, replayed and
 * driven through a second allocator on an event loop the way the master drives it, gives the
 * same placements — same time, framework, agent and resources, in the same order.
 */
class ReplayMatchesLiveAllocatorTest {
  record Decision(long atMillis, String framework, String agent, Resources resources) {}

  static List<Decision> decisions(List<Placement> placements) {
    return placements.stream().map(p -> new Decision(p.atMillis(), p.framework(), p.agent(), p.resources())).toList();
  }

  static void assertSameDecisions(Trace trace, ClusterSpec cluster, Map<String, RoleSpec> roles) {
    Outcome replayed = new Replay(trace, cluster, roles, ReplaySettings.DEFAULTS.withPreemption(PreemptionMode.OFF))
        .run(Replay.Progress.NONE);
    List<Placement> live = new LiveDriver().run(trace, cluster, roles);

    assertEquals(trace.tasks(), replayed.placements().size(), "every task placed by the replay");
    List<Decision> expected = decisions(live);
    List<Decision> actual = decisions(replayed.placements());
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      int at = i;
      assertEquals(expected.get(i), actual.get(i), () -> "placement " + at + " of " + expected.size() + " differs");
    }
    assertEquals(expected.size(), actual.size(), "placements");
  }

  @Test
  void aSmallTraceWithGangsAndWeightedRolesIsPlacedAsTheLiveAllocatorPlacesIt() throws Exception {
    Trace trace = TrellisTrace.read(ConvertersTest.sample("small.csv"));
    Map<String, RoleSpec> roles = Map.of("etl", new RoleSpec("etl", 2, Quota.NONE),
        "web", new RoleSpec("web", 1, Quota.of("cpus:2", "cpus:6")));
    ClusterSpec cluster = new ClusterSpec(3, Resources.parse("cpus:4;mem:8192"));

    assertSameDecisions(trace, cluster, roles);
    Outcome o = new Replay(trace, cluster, roles, ReplaySettings.DEFAULTS.withPreemption(PreemptionMode.OFF))
        .run(Replay.Progress.NONE);
    assertTrue(o.placements().stream().anyMatch(Placement::gang), "gang members placed");
    assertTrue(o.placements().stream().anyMatch(p -> p.waitMillis() > 0), "the cluster is contended: some tasks wait");
  }

  @Test
  void aGeneratedTraceOfSeveralRolesIsPlacedAsTheLiveAllocatorPlacesIt() {
    Trace trace = new Generator(11, List.of("a", "b", "c"), 20, 4, 90, 0.3).generate();
    Map<String, RoleSpec> roles = Map.of("a", new RoleSpec("a", 3, Quota.NONE), "b", new RoleSpec("b", 1, Quota.NONE));

    assertSameDecisions(trace, new ClusterSpec(8, Resources.parse("cpus:8;mem:32768")), roles);
  }
}
