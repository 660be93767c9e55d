package io.trellis.agent.containerizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection against mount tables written for the test, with plain directories as hierarchies. */
class CgroupDetectorTest {
  @TempDir Path dir;

  @Test
  void cgroupV2WithoutCpuOrMemoryControllersGivesNoLimitsAndSaysWhy() throws Exception {
    Path unified = Files.createDirectories(dir.resolve("unified"));
    Files.writeString(unified.resolve("cgroup.controllers"), "io pids\n");

    CgroupSupport support = detect("41 31 0:38 / " + unified + " rw,relatime - cgroup2 cgroup2 rw");

    assertFalse(support.enabled());
    assertTrue(support.missing().contains("no cgroup v1 cpu hierarchy"), support.missing());
    assertTrue(support.missing().contains("cgroup v2 at " + unified
        + " enables no cpu or memory controller"), support.missing());
  }

  @Test
  void cgroupV2WithCpuAndMemoryDelegatesThemToTheAgentsDirectory() throws Exception {
    Path root = Files.createDirectories(dir.resolve("cg2"));
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");

    CgroupSupport support = detect("30 23 0:26 / " + root + " rw,nosuid - cgroup2 cgroup2 rw");

    assertEquals("cgroup v2: cpu, memory", support.describe());
    assertEquals("+cpu +memory", Files.readString(root.resolve("cgroup.subtree_control")));
    assertTrue(Files.isDirectory(root.resolve("trellis").resolve("agent-1")));
  }

  @Test
  void readOnlyV1HierarchyIsNotUsed() throws Exception {
    Path cpu = Files.createDirectories(dir.resolve("cpu"));

    CgroupSupport support = detect("32 31 0:29 / " + cpu + " ro,relatime - cgroup cgroup rw,cpu");

    assertFalse(support.enabled());
    assertTrue(support.missing().contains("mounted read-only"), support.missing());
  }

  @Test
  void v1ControllersArePreferredOverAnEmptyUnifiedHierarchy() throws Exception {
    Path cpu = Files.createDirectories(dir.resolve("cpu,cpuacct"));
    Path memory = Files.createDirectories(dir.resolve("memory"));
    Path unified = Files.createDirectories(dir.resolve("unified"));
    Files.writeString(unified.resolve("cgroup.controllers"), "");

    CgroupSupport support = detect(
        "32 31 0:29 / " + cpu + " rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        "35 31 0:32 / " + memory + " rw,relatime - cgroup cgroup rw,memory",
        "41 31 0:38 / " + unified + " rw,relatime - cgroup2 cgroup2 rw");

    assertEquals("cgroup v1: cpu, memory", support.describe());
    assertTrue(Files.isDirectory(cpu.resolve("trellis/agent-1")));
  }

  @Test
  void mountPointsWithEscapedSpacesAreRead() {
    List<CgroupDetector.Mount> mounts = CgroupDetector.parse(
        List.of("32 31 0:29 / /sys/fs/my\\040cgroup rw - cgroup cgroup rw,memory"));

    assertEquals(Path.of("/sys/fs/my cgroup"), mounts.get(0).point());
  }

  private CgroupSupport detect(String... lines) throws Exception {
    Path mountinfo = Files.write(dir.resolve("mountinfo"), List.of(lines));
    return new CgroupDetector("trellis", "agent-1").detect(mountinfo).support();
  }
}
