package io.trellis.agent.containerizer;

import static io.trellis.agent.containerizer.Tasks.await;
import static io.trellis.agent.containerizer.Tasks.awaitFile;
import static io.trellis.agent.containerizer.Tasks.containerizer;
import static io.trellis.agent.containerizer.Tasks.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.CommandSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs on the agent's kind of host: root, with writable cpu and memory controllers. It does not
 * skip itself elsewhere: a host without them is not one the agent is tested for.
 */
class CgroupLimitsTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path work;
  @TempDir Path sandbox;

  @Test
  void detectionFindsWritableCpuAndMemoryControllersOnThisHost() {
    CgroupSupport support = containerizer(work).cgroupSupport();

    assertTrue(support.controllers().containsAll(List.of("cpu", "memory")), support.describe());
    assertEquals("cgroup " + support.version() + ": cpu, memory", support.describe());
  }

  @Test
  void taskGetsItsMemoryAndCpuLimitsAndItsCgroupIsRemovedAfterItEnds() throws Exception {
    ProcessContainerizer containerizer = containerizer(work);
    CgroupSupport support = containerizer.cgroupSupport();
    CommandSpec command = CommandSpec.shell("echo $$ > pid.tmp && mv pid.tmp pid; sleep 1000");
    ProcessContainer c = (ProcessContainer) containerizer.launch(
        request(command, "cpus:0.5;mem:64", sandbox, Map.of()));
    long pid = Long.parseLong(awaitFile(sandbox.resolve("pid")));
    List<Path> dirs = c.cgroup().dirs();

    assertFalse(dirs.isEmpty());
    for (Path dir : dirs) {
      assertTrue(dir.endsWith(Path.of("trellis", Tasks.AGENT, c.taskId())), dir.toString());
      assertTrue(Files.readAllLines(dir.resolve("cgroup.procs")).contains(Long.toString(pid)),
          "task " + pid + " is in " + dir);
    }
    if (support.version().equals("v1")) {
      assertEquals(64 * MIB, readLong(dir(dirs, "memory.limit_in_bytes"), "memory.limit_in_bytes"));
      assertEquals(50_000, readLong(dir(dirs, "cpu.cfs_quota_us"), "cpu.cfs_quota_us"));
      assertEquals(100_000, readLong(dir(dirs, "cpu.cfs_quota_us"), "cpu.cfs_period_us"));
      assertEquals(512, readLong(dir(dirs, "cpu.cfs_quota_us"), "cpu.shares"));
    } else {
      assertEquals(64 * MIB, readLong(dirs.get(0), "memory.max"));
      assertEquals("50000 100000", Files.readString(dirs.get(0).resolve("cpu.max")).trim());
    }

    c.kill(Duration.ofSeconds(10));
    await(c);

    for (Path dir : dirs) {
      assertFalse(Files.exists(dir), dir + " is removed once the task has ended");
    }
  }

  @Test
  void cgroupsCanBeTurnedOff() throws Exception {
    ProcessContainerizer containerizer = containerizer(work, Map.of("cgroups", "off"));
    ProcessContainer c = (ProcessContainer) containerizer.launch(Tasks.shell("exit 0", sandbox));

    assertEquals("no cgroup limits: turned off by the setting cgroups=off",
        containerizer.cgroupSupport().describe());
    assertEquals(List.of(), c.cgroup().dirs());
    assertEquals(0, await(c).exitCode());
  }

  /** The task's cgroup directory that has {@code file}: the hierarchy of that controller. */
  private static Path dir(List<Path> dirs, String file) {
    return dirs.stream().filter(d -> Files.exists(d.resolve(file))).findFirst()
        .orElseThrow(() -> new AssertionError("no cgroup with " + file + " in " + dirs));
  }

  private static long readLong(Path dir, String file) throws Exception {
    return Long.parseLong(Files.readString(dir.resolve(file)).trim());
  }
}
