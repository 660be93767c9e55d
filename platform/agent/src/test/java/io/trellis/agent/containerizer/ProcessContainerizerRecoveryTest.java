package io.trellis.agent.containerizer;

import static io.trellis.agent.containerizer.Tasks.await;
import static io.trellis.agent.containerizer.Tasks.awaitFile;
import static io.trellis.agent.containerizer.Tasks.containerizer;
import static io.trellis.agent.containerizer.Tasks.ended;
import static io.trellis.agent.containerizer.Tasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessContainerizerRecoveryTest {
  @TempDir Path work;
  @TempDir Path sandbox;

  @Test
  void runningTaskIsRecoveredByANewInstanceAndCanBeKilledThroughIt() throws Exception {
    LaunchRequest request = shell("echo $$ > pid.tmp && mv pid.tmp pid; sleep 1000", sandbox);
    containerizer(work).launch(request);
    long pid = Long.parseLong(awaitFile(sandbox.resolve("pid")));

    List<Container> recovered = containerizer(work).recover(List.of(sandbox));

    assertEquals(1, recovered.size());
    Container c = recovered.get(0);
    assertEquals(request.task().taskId(), c.taskId());
    assertFalse(c.termination().isDone(), "the task still runs");
    c.kill(Duration.ofSeconds(10));
    Termination end = await(c);
    assertTrue(end.killed());
    assertEquals("killed by the agent (SIGTERM)", end.message());
    assertTrue(ended(pid));
  }

  @Test
  void taskThatEndedWhileTheAgentWasAwayReportsItsExitStatus() throws Exception {
    await(containerizer(work).launch(shell("exit 7", sandbox)));

    List<Container> recovered = containerizer(work).recover(List.of(sandbox));

    assertEquals(1, recovered.size());
    assertEquals(new Termination(7, false, "exited with status 7"), await(recovered.get(0)));
  }

  /** Waits until {@code condition} holds, failing after the tasks' timeout. */
  private static void eventually(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Tasks.TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within " + Tasks.TIMEOUT);
      Thread.sleep(20);
    }
  }

  @Test
  void recoveryDestroysTasksNoCheckpointKnowsWithTheirGroupsAndCgroupsAndKeepsTheKnownOnes() throws Exception {
    Path kept = Files.createDirectories(work.resolve("tasks/fw/kept/sandbox"));
    Path lost = Files.createDirectories(work.resolve("tasks/fw/lost/sandbox"));
    String script = "echo $$ > pid.tmp && mv pid.tmp pid; sleep 1000";
    containerizer(work).launch(shell(script, kept));
    // The lost task also starts a child in a session of its own, outside its process group.
    containerizer(work).launch(shell("setsid sleep 1000 & echo $! > child.tmp && mv child.tmp child; " + script, lost));
    long keptPid = Long.parseLong(awaitFile(kept.resolve("pid")));
    long lostPid = Long.parseLong(awaitFile(lost.resolve("pid")));
    long childPid = Long.parseLong(awaitFile(lost.resolve("child")));
    List<Path> lostCgroups = Checkpoint.read(lost).orElseThrow().cgroupDirs();

    // The agent restarts; the lost task's checkpoints are gone, so only the kept one is known.
    List<Container> recovered = containerizer(work).recover(List.of(kept));

    assertEquals(1, recovered.size());
    eventually("the unknown task ended", () -> ended(lostPid));
    eventually("its child in another session ended", () -> ended(childPid));
    for (Path cgroup : lostCgroups) {
      eventually("its cgroup " + cgroup + " is removed", () -> !Files.exists(cgroup));
    }
    assertFalse(ended(keptPid), "the known task still runs");
    recovered.get(0).kill(Duration.ZERO);
    await(recovered.get(0));
  }

  @Test
  void sandboxesWithoutACheckpointAreIgnored() throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty-sandbox"));

    assertEquals(List.of(), containerizer(work).recover(List.of(empty)));
  }
}
