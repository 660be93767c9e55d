package io.trellis.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Frameworks that take one task per offer, run until nothing more fits: the task counts that
 * weighted DRF converges to, over roles and over frameworks inside a role.
 */
class DrfConvergenceTest {
  private final TestCluster cluster = new TestCluster();

  /** The example of Ghodsi et al., "Dominant Resource Fairness" (NSDI 2011), section 4. */
  @Test
  void drfPaperExampleAcrossTwoRoles() {
    cluster.agent("a1", "cpus:9;mem:18432");
    SimFramework a = cluster.sim("A", "a", "cpus:1;mem:4096");
    SimFramework b = cluster.sim("B", "b", "cpus:3;mem:1024");

    cluster.runUntilQuiet(a, b);

    assertEquals(3, a.tasks(), "A: 3 tasks, dominant share 2/3 of mem");
    assertEquals(2, b.tasks(), "B: 2 tasks, dominant share 2/3 of cpus");
    assertEquals(2.0 / 3, cluster.allocator.roleShare("a"), 1e-9);
    assertEquals(2.0 / 3, cluster.allocator.roleShare("b"), 1e-9);
  }

  @Test
  void drfPaperExampleBetweenFrameworksOfOneRole() {
    cluster.agent("a1", "cpus:9;mem:18432");
    SimFramework a = cluster.sim("A", "shared", "cpus:1;mem:4096");
    SimFramework b = cluster.sim("B", "shared", "cpus:3;mem:1024");

    cluster.runUntilQuiet(a, b);

    assertEquals(3, a.tasks());
    assertEquals(2, b.tasks());
    assertEquals(2.0 / 3, cluster.allocator.frameworkShare(a.id, "shared"), 1e-9);
    assertEquals(2.0 / 3, cluster.allocator.frameworkShare(b.id, "shared"), 1e-9);
  }

  @Test
  void drfPaperExampleDoesNotDependOnWhoSubscribesFirst() {
    cluster.agent("a1", "cpus:9;mem:18432");
    SimFramework b = cluster.sim("B", "b", "cpus:3;mem:1024");
    SimFramework a = cluster.sim("A", "a", "cpus:1;mem:4096");

    cluster.runUntilQuiet(a, b);

    assertEquals(3, a.tasks());
    assertEquals(2, b.tasks());
  }

  @Test
  void roleWeightsDivideTheClusterInTheirRatio() {
    cluster.allocator.setWeight("light", 1);
    cluster.allocator.setWeight("heavy", 3);
    cluster.agent("big", "cpus:40;mem:40960");
    SimFramework light = cluster.sim("light-fw", "light", "cpus:1;mem:128");
    SimFramework heavy = cluster.sim("heavy-fw", "heavy", "cpus:1;mem:128");

    cluster.runUntilQuiet(light, heavy);

    assertEquals(10, light.tasks());
    assertEquals(30, heavy.tasks());
    assertEquals(cluster.allocator.roleShare("light"), cluster.allocator.roleShare("heavy"), 1e-9,
        "weighted shares are equal once converged");
  }

  @Test
  void changingAWeightShiftsNewResourcesTowardsTheHeavierRole() {
    cluster.agent("big", "cpus:40;mem:40960");
    SimFramework x = cluster.sim("X", "x", "cpus:1;mem:128");
    SimFramework y = cluster.sim("Y", "y", "cpus:1;mem:128");
    cluster.runUntilQuiet(x, y);
    assertEquals(20, x.tasks());
    assertEquals(20, y.tasks());

    cluster.allocator.setWeight("y", 3);
    for (int i = 0; i < 20; i++) {
      x.finishOne();
      y.finishOne();
    }
    cluster.runUntilQuiet(x, y);

    assertEquals(10, x.tasks());
    assertEquals(30, y.tasks());
  }

  @Test
  void siblingRolesShareTheirParentsSliceWhichMatchesAnEqualWeightTopLevelRole() {
    cluster.agent("big", "cpus:40;mem:40960");
    SimFramework spark = cluster.sim("spark-fw", "analytics/spark", "cpus:1;mem:128");
    SimFramework hive = cluster.sim("hive-fw", "analytics/hive", "cpus:1;mem:128");
    SimFramework web = cluster.sim("web-fw", "web", "cpus:1;mem:128");

    cluster.runUntilQuiet(spark, hive, web);

    assertEquals(20, web.tasks());
    assertEquals(10, spark.tasks());
    assertEquals(10, hive.tasks());
    assertEquals(0.5, cluster.allocator.roleShare("analytics"), 1e-9);
    assertEquals(0.5, cluster.allocator.roleShare("web"), 1e-9);
  }

  @Test
  void manyFrameworksInOneRoleEachGetAnEqualPart() {
    cluster.agent("a1", "cpus:12;mem:12288");
    cluster.agent("a2", "cpus:12;mem:12288");
    SimFramework[] sims = new SimFramework[4];
    for (int i = 0; i < sims.length; i++) {
      sims[i] = cluster.sim("fw" + i, "batch", "cpus:1;mem:1024");
    }

    cluster.runUntilQuiet(sims);

    for (SimFramework sim : sims) {
      assertEquals(6, sim.tasks(), () -> sim + " should hold a quarter of 24 cpus");
    }
  }

  @Test
  void aFrameworkThatFinishesTasksIsOfferedTheFreedResourcesWhileItsShareIsLowest() {
    cluster.agent("a1", "cpus:8;mem:8192");
    SimFramework a = cluster.sim("A", "a", "cpus:1;mem:1024");
    SimFramework b = cluster.sim("B", "b", "cpus:1;mem:1024");
    cluster.runUntilQuiet(a, b);
    assertEquals(4, a.tasks());
    assertEquals(4, b.tasks());

    a.finishOne();
    a.finishOne();
    cluster.runUntilQuiet(a, b);

    assertEquals(4, a.tasks(), "A regains the two cpus it freed");
    assertEquals(4, b.tasks());
    assertTrue(cluster.allocator.outstandingOffers().isEmpty(), "the agent is fully used");
  }
}
