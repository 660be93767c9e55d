package io.trellis.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.core.resource.Resources;
import io.trellis.core.role.Quota;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the replay reports on traces whose outcome is known in advance. */
class ReplayTest {
  static final Resources ONE = Resources.parse("cpus:1;mem:1024");
  static final ClusterSpec CLUSTER = new ClusterSpec(4, Resources.parse("cpus:8;mem:32768"));

  /** Both roles ask for more than the cluster, all along: 8 tasks every 10 s, each running a minute. */
  static Trace overloaded() {
    List<TaskGroup> groups = new ArrayList<>();
    for (long t = 0; t < 30 * 60_000; t += 10_000) {
      groups.add(new TaskGroup(t, "a", "fa", ONE, 8, 60_000, 0, 0));
      groups.add(new TaskGroup(t, "b", "fb", ONE, 8, 60_000, 0, 0));
    }
    return new Trace(groups, new Skipped());
  }

  static Outcome replay(Trace trace, Map<String, RoleSpec> roles, PreemptionMode mode) {
    return new Replay(trace, CLUSTER, roles, ReplaySettings.DEFAULTS.withPreemption(mode)).run(Replay.Progress.NONE);
  }

  /** Mean of a value over the samples taken while both roles are overloaded (after a minute, before the trace ends). */
  static double overloadedMean(Outcome o, java.util.function.ToDoubleFunction<Outcome.Sample> value) {
    return o.samples().stream().filter(x -> x.atMillis() > 60_000 && x.atMillis() < 30 * 60_000).mapToDouble(value)
        .average().orElseThrow();
  }

  @Test
  void weightedRolesOnAnOverloadedClusterGetTheirWeightedShares() {
    Map<String, RoleSpec> roles = Map.of("a", new RoleSpec("a", 3, Quota.NONE), "b", new RoleSpec("b", 1, Quota.NONE));
    Outcome o = replay(overloaded(), roles, PreemptionMode.OFF);

    assertEquals(0.75, overloadedMean(o, x -> x.target().get("a")), 0.01);
    assertEquals(0.25, overloadedMean(o, x -> x.target().get("b")), 0.01);
    assertEquals(0.75, overloadedMean(o, x -> x.share().get("a")), 0.05);
    assertEquals(0.25, overloadedMean(o, x -> x.share().get("b")), 0.05);
    Summary s = new Summary(o);
    assertTrue(s.waits().get("b").p50() > s.waits().get("a").p50(), "the lighter role waits longer: " + s.waits());
  }

  @Test
  void aQuotaLimitCapsTheRoleAndItsTarget() {
    Map<String, RoleSpec> roles = Map.of("a", new RoleSpec("a", 3, Quota.of("", "cpus:8")));
    Outcome o = replay(overloaded(), roles, PreemptionMode.OFF);

    assertEquals(0.25, overloadedMean(o, x -> x.target().get("a")), 0.01);
    for (Outcome.Sample sample : o.samples()) {
      assertTrue(sample.share().get("a") <= 0.25 + 1e-9, "never above its limit of 8 of 32 cpus: " + sample);
    }
  }

  @Test
  void aGangNoAgentSetCanHoldIsRefusedAndATaskTooLargeWaitsWithTheReason() {
    Trace trace = new Trace(List.of(
        new TaskGroup(0, "a", "fa", Resources.parse("cpus:8;mem:1024"), 5, 60_000, 5, 0),
        new TaskGroup(0, "a", "fa", Resources.parse("cpus:16;mem:1024"), 1, 60_000, 0, 0),
        new TaskGroup(0, "b", "fb", ONE, 3, 60_000, 3, 0)), new Skipped());

    Outcome o = replay(trace, Map.of(), PreemptionMode.GUARANTEE);

    assertEquals(3, o.placements().size(), "the gang that fits runs: " + o.placements());
    assertTrue(o.placements().stream().allMatch(p -> p.gang() && p.role().equals("b") && p.atMillis() == o.placements().get(0).atMillis()));
    assertEquals(2, o.neverPlaced().size(), o.neverPlaced()::toString);
    assertTrue(o.neverPlaced().get(0).reason().startsWith("refused: "), o.neverPlaced()::toString);
    assertEquals(5, o.neverPlaced().get(0).tasks());
    assertEquals("no agent has cpus:16;mem:1024", o.neverPlaced().get(1).reason());
    assertTrue(o.endMillis() < 20 * 60_000, "the replay ends once only impossible work is left: " + o.endMillis());
  }

  @Test
  void aRoleBelowItsGuaranteePreemptsAndItsVictimsRunAgainLater() {
    List<TaskGroup> groups = new ArrayList<>();
    groups.add(new TaskGroup(0, "batch", "spark", ONE, 32, 600_000, 0, 0));
    groups.add(new TaskGroup(60_000, "prod", "svc", ONE, 8, 60_000, 0, 0));
    Map<String, RoleSpec> roles = Map.of("prod", new RoleSpec("prod", 1, Quota.of("cpus:8", "")));

    Outcome o = replay(new Trace(groups, new Skipped()), roles, PreemptionMode.GUARANTEE);

    // The guarantee is kept free for prod from the start (quota headroom), so batch never takes it.
    long prodWait = o.placements().stream().filter(p -> p.role().equals("prod")).mapToLong(Placement::waitMillis)
        .max().orElseThrow();
    assertTrue(prodWait < 1_000, "prod placed at once: " + prodWait);
    assertEquals(40, o.placements().size(), "every task placed: " + o.placements().size());
    assertTrue(o.neverPlaced().isEmpty());
  }
}
