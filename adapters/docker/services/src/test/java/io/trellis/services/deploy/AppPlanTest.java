package io.trellis.services.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskState;
import io.trellis.services.app.AppDefinition;
import io.trellis.services.app.AppReader;
import io.trellis.services.app.VersionInfo;
import io.trellis.services.instance.Instance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan that keeps, scales and rolls an app, step by step, as a pure function. */
class AppPlanTest {
  static AppDefinition app(int instances, double minHealth, double overCapacity, String version, boolean checks) {
    String hc = checks ? ", \"healthChecks\": [{\"protocol\": \"TCP\"}]" : "";
    return AppReader.read("{\"id\": \"/a\", \"cmd\": \"x\", \"instances\": " + instances
        + ", \"upgradeStrategy\": {\"minimumHealthCapacity\": " + minHealth + ", \"maximumOverCapacity\": "
        + overCapacity + "}" + hc + "}").app().withVersion(version, new VersionInfo(version, version));
  }

  static Instance instance(int n, String version, TaskState state, Boolean healthy) {
    return new Instance("a." + n, "/a", version, "agent", "h", null, List.of(), state, healthy,
        String.format("2026-01-01T00:00:%02dZ", n), null, false);
  }

  static List<Instance> running(int count, String version, int from) {
    List<Instance> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(instance(from + i, version, TaskState.RUNNING, null));
    }
    return out;
  }

  @Test
  void aNewAppLaunchesAllItsInstances() {
    AppPlan p = AppPlan.of(app(3, 1, 1, "v1", false), List.of());
    assertEquals(3, p.toLaunch());
    assertTrue(p.toKill().isEmpty());
    assertFalse(p.complete());
  }

  @Test
  void anAppAtItsCountIsComplete() {
    AppPlan p = AppPlan.of(app(2, 1, 1, "v1", false), running(2, "v1", 0));
    assertEquals(0, p.toLaunch());
    assertTrue(p.complete());
  }

  @Test
  void scalingDownKillsTheYoungestFirstAndStagingBeforeRunning() {
    List<Instance> is = new ArrayList<>(running(3, "v1", 0));
    is.add(instance(9, "v1", TaskState.STAGING, null));
    AppPlan p = AppPlan.of(app(2, 1, 1, "v1", false), is);
    assertEquals(List.of("a.9", "a.2"), p.toKill().stream().map(Instance::taskId).toList());
  }

  @Test
  void aRollingUpgradeNeverGoesBelowTheMinimumOrAboveTheMaximum() {
    // 4 instances, at least 2 healthy, at most 5 at once.
    AppDefinition v2 = app(4, 0.5, 0.25, "v2", false);
    AppPlan first = AppPlan.of(v2, running(4, "v1", 0));
    assertEquals(2, first.toKill().size(), "two old instances may go");
    assertEquals(3, first.toLaunch(), "old 2 + new 3 = 5");
  }

  @Test
  void withFullHealthCapacityAndNoOverCapacityOneExtraInstanceStillMovesTheUpgrade() {
    AppDefinition v2 = app(2, 1, 0, "v2", false);
    AppPlan p = AppPlan.of(v2, running(2, "v1", 0));
    assertEquals(0, p.toKill().size());
    assertEquals(1, p.toLaunch());
  }

  @Test
  void newInstancesCountOnlyOnceHealthyWhenTheAppHasChecks() {
    AppDefinition v2 = app(1, 1, 1, "v2", true);
    List<Instance> is = new ArrayList<>();
    is.add(instance(0, "v1", TaskState.RUNNING, true));
    is.add(instance(1, "v2", TaskState.RUNNING, null));
    assertTrue(AppPlan.of(v2, is).toKill().isEmpty(), "the new one is not healthy yet");
    is.set(1, instance(1, "v2", TaskState.RUNNING, true));
    assertEquals("a.0", AppPlan.of(v2, is).toKill().get(0).taskId());
  }

  @Test
  void unhealthyInstancesAreKilledAndReplaced() {
    AppDefinition a = app(2, 1, 1, "v1", true);
    List<Instance> is = List.of(instance(0, "v1", TaskState.RUNNING, true), instance(1, "v1", TaskState.RUNNING, false));
    AppPlan p = AppPlan.of(a, is);
    assertEquals(List.of("a.1"), p.toKill().stream().map(Instance::taskId).toList());
    assertEquals(1, p.toLaunch());
  }

  @Test
  void instancesBeingKilledDoNotCountButKeepTheAppIncomplete() {
    AppDefinition a = app(1, 1, 1, "v1", false);
    List<Instance> is = List.of(instance(0, "v1", TaskState.RUNNING, null), instance(1, "v1", TaskState.RUNNING, null).killing());
    AppPlan p = AppPlan.of(a, is);
    assertEquals(0, p.toLaunch());
    assertFalse(p.complete());
  }

  @Test
  void scaleToZeroKillsEverything() {
    AppPlan p = AppPlan.of(app(0, 1, 1, "v2", false), running(3, "v1", 0));
    assertEquals(3, p.toKill().size());
    assertEquals(0, p.toLaunch());
  }
}
