package io.trellis.agent.containerizer;

import static io.trellis.agent.containerizer.Tasks.await;
import static io.trellis.agent.containerizer.Tasks.awaitFile;
import static io.trellis.agent.containerizer.Tasks.containerizer;
import static io.trellis.agent.containerizer.Tasks.ended;
import static io.trellis.agent.containerizer.Tasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessContainerKillTest {
  @TempDir Path work;
  @TempDir Path sandbox;
  ProcessContainerizer containerizer;

  @BeforeEach
  void setUp() {
    containerizer = containerizer(work);
  }

  @Test
  void taskRunsAsLeaderOfItsOwnProcessGroup() throws Exception {
    ProcessContainer c = (ProcessContainer) containerizer.launch(
        shell("echo ready > ready.tmp && mv ready.tmp ready; sleep 1000", sandbox));
    awaitFile(sandbox.resolve("ready"));

    ProcStat leader = ProcStat.read(c.pid()).orElseThrow();
    c.kill(Duration.ofSeconds(10));
    await(c);

    assertEquals(c.pid(), leader.processGroup());
    assertFalse(ProcStat.read(ProcessHandle.current().pid()).orElseThrow().processGroup()
        == c.pid(), "the agent must not share the task's process group");
  }

  @Test
  void killTerminatesTheWholeGroupIncludingABackgroundedGrandchild() throws Exception {
    Container c = containerizer.launch(shell(
        "sleep 1000 & echo $! $$ > pids.tmp && mv pids.tmp pids; sleep 1000", sandbox));
    long[] pids = Arrays.stream(awaitFile(sandbox.resolve("pids")).split(" "))
        .mapToLong(Long::parseLong).toArray();
    assertFalse(ended(pids[0]) || ended(pids[1]), "both processes run before the kill");

    c.kill(Duration.ofSeconds(10));
    Termination end = await(c);

    assertTrue(end.killed());
    assertEquals("killed by the agent (SIGTERM)", end.message());
    assertTrue(ended(pids[0]), "backgrounded sleep " + pids[0] + " is gone");
    assertTrue(ended(pids[1]), "task shell " + pids[1] + " is gone");
  }

  @Test
  void taskIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    Container c = containerizer.launch(shell(
        "trap '' TERM; echo $$ > pid.tmp && mv pid.tmp pid; sleep 1000", sandbox));
    long pid = Long.parseLong(awaitFile(sandbox.resolve("pid")));

    c.kill(Duration.ofMillis(200));
    Termination end = await(c);

    assertTrue(end.killed());
    assertNull(end.exitCode());
    assertEquals("killed by the agent (SIGKILL after a grace period of 200 ms)", end.message());
    assertTrue(ended(pid));
  }

  @Test
  void killAfterExitIsHarmless() throws Exception {
    Container c = containerizer.launch(shell("exit 5", sandbox));
    Termination end = await(c);

    c.kill(Duration.ZERO);
    c.kill(Duration.ofSeconds(1));

    assertSame(end, await(c));
    assertEquals(new Termination(5, false, "exited with status 5"), end);
  }

  @Test
  void killingTwiceIsTheSameAsKillingOnce() throws Exception {
    Container c = containerizer.launch(
        shell("echo ready > ready.tmp && mv ready.tmp ready; sleep 1000", sandbox));
    awaitFile(sandbox.resolve("ready"));

    c.kill(Duration.ofSeconds(10));
    c.kill(Duration.ofSeconds(10));

    assertEquals("killed by the agent (SIGTERM)", await(c).message());
  }

  @Test
  void processesLeftBehindByATaskThatExitedAreKilled() throws Exception {
    Container c = containerizer.launch(
        shell("sleep 1000 & echo $! > bg.tmp && mv bg.tmp bg; exit 0", sandbox));
    long background = Long.parseLong(awaitFile(sandbox.resolve("bg")));

    Termination end = await(c);

    assertEquals(new Termination(0, false, "exited with status 0"), end);
    assertTrue(ended(background), "backgrounded sleep " + background + " is gone");
  }
}
