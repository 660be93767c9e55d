package io.trellis.allocator;

import static io.trellis.allocator.TestCluster.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.trellis.core.id.FrameworkId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Resource kinds excluded from fairness still get allocated but do not count in shares. */
class FairnessExclusionTest {
  private static final FrameworkId ML = FrameworkId.of("ml");
  private static final FrameworkId WEB = FrameworkId.of("web");

  private static TestCluster clusterWithGpuUser(AllocatorConfig config) {
    TestCluster cluster = new TestCluster(config);
    cluster.agent("gpu-box", "cpus:8;mem:8192;gpus:4",
        new Allocation(ML, "ml", res("cpus:1;mem:1024;gpus:4")));
    cluster.agent("plain", "cpus:8;mem:8192",
        new Allocation(WEB, "web", res("cpus:4;mem:1024")));
    cluster.allocator.addFramework(ML, Set.of("ml"), true);
    cluster.allocator.addFramework(WEB, Set.of("web"), true);
    return cluster;
  }

  @Test
  void gpusDominateTheShareWhenNotExcluded() {
    TestCluster cluster = clusterWithGpuUser(AllocatorConfig.DEFAULTS);

    assertEquals(1.0, cluster.allocator.roleShare("ml"), 1e-9);
    assertEquals(1.0, cluster.allocator.frameworkShare(ML, "ml"), 1e-9);
    assertEquals(0.25, cluster.allocator.roleShare("web"), 1e-9);
  }

  @Test
  void excludedGpusDoNotCountInShares() {
    TestCluster cluster = clusterWithGpuUser(AllocatorConfig.DEFAULTS.withFairnessExcluded(Set.of("gpus")));

    assertEquals(1.0 / 16, cluster.allocator.roleShare("ml"), 1e-9);
    assertEquals(1.0 / 16, cluster.allocator.frameworkShare(ML, "ml"), 1e-9);
    assertEquals(0.25, cluster.allocator.roleShare("web"), 1e-9);
  }

  @Test
  void excludedGpusDoNotPushTheirHolderBackInLine() {
    assertEquals(ML, whoGetsTheNewAgent(AllocatorConfig.DEFAULTS.withFairnessExcluded(Set.of("gpus"))),
        "ml holds 2 of 14 cpus; its gpus do not count");
    assertEquals(WEB, whoGetsTheNewAgent(AllocatorConfig.DEFAULTS),
        "ml holds every gpu, so its share is 1 and web (8 of 14 cpus) goes first");
  }

  private static FrameworkId whoGetsTheNewAgent(AllocatorConfig config) {
    TestCluster cluster = new TestCluster(config);
    cluster.agent("gpu-box", "cpus:2;mem:2048;gpus:4",
        new Allocation(ML, "ml", res("cpus:2;mem:2048;gpus:4")));
    cluster.agent("plain", "cpus:8;mem:8192", new Allocation(WEB, "web", res("cpus:8;mem:8192")));
    cluster.allocator.addFramework(ML, Set.of("ml"), true);
    cluster.allocator.addFramework(WEB, Set.of("web"), true);
    cluster.agent("new", "cpus:4;mem:4096");

    List<Offer> offers = cluster.cycle();

    assertEquals(1, offers.size(), () -> "only the new agent is free: " + offers);
    assertEquals(res("cpus:4;mem:4096"), offers.get(0).resources());
    return offers.get(0).frameworkId();
  }
}
