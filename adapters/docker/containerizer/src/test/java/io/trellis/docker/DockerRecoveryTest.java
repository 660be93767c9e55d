package io.trellis.docker;

import static io.trellis.docker.DockerFixture.await;
import static io.trellis.docker.DockerFixture.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.containerizer.Container;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.agent.containerizer.Termination;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A new containerizer, as after an agent restart, finds the containers of the old one. */
class DockerRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private DockerFixture docker;

  @BeforeEach
  void start() throws Exception {
    docker = new DockerFixture();
  }

  @AfterEach
  void stop() {
    docker.close();
  }

  @Test
  void aRestartedAgentKeepsItsKnownContainersAndRemovesOrphans() throws Exception {
    LaunchRequest known = docker.shell("known", "cpus:0.1;mem:32",
        "trap 'echo stopping; exit 0' TERM; echo started; echo e1 >&2;"
            + " while [ ! -f /mnt/trellis/sandbox/go ]; do sleep 0.1; done;"
            + " echo while down; echo e2 >&2; touch /mnt/trellis/sandbox/done;"
            + " while true; do sleep 0.1; done");
    LaunchRequest orphan = docker.shell("orphan", "cpus:0.1;mem:32", "sleep 300");
    DockerContainerizer before = docker.containerizer(Map.of());
    before.launch(known);
    before.launch(orphan);
    await("the known task to start", WAIT, () -> read(known.sandbox().resolve("stdout"))
        .contains("started"));
    before.close();
    java.nio.file.Files.writeString(known.sandbox().resolve("go"), "");
    await("the known task's output while the agent is down", WAIT,
        () -> java.nio.file.Files.exists(known.sandbox().resolve("done")));
    assertTrue(docker.inspect(known).orElseThrow().getState().getRunning());
    assertTrue(docker.inspect(orphan).orElseThrow().getState().getRunning());

    try (DockerContainerizer after = docker.containerizer(Map.of())) {
      List<Container> recovered = after.recover(List.of(known.sandbox()));
      assertEquals(1, recovered.size());
      Container c = recovered.get(0);
      assertEquals("known", c.taskId());
      assertTrue(docker.inspect(orphan).isEmpty(), "the orphan container is removed");
      assertTrue(docker.inspect(known).orElseThrow().getState().getRunning());
      Thread.sleep(500);
      assertTrue(!c.termination().isDone(), "the recovered container keeps running");

      c.kill(Duration.ofSeconds(10));
      Termination t = c.termination().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(t.killed());
      assertEquals(0, t.exitCode());
      assertEquals("started\nwhile down\nstopping\n", read(known.sandbox().resolve("stdout")),
          "lines from before the restart are not copied twice, lines from while the agent was"
              + " down are not lost");
      assertEquals("e1\ne2\n", read(known.sandbox().resolve("stderr")));
      assertTrue(docker.inspect(known).isEmpty());
    }
  }

  @Test
  void aKnownContainerThatEndedWhileTheAgentWasDownReportsItsExit() throws Exception {
    LaunchRequest task = docker.shell("ends-while-down", "cpus:0.1;mem:32",
        "echo bye; while [ ! -f /mnt/trellis/sandbox/go ]; do sleep 0.1; done; exit 4");
    DockerContainerizer before = docker.containerizer(Map.of());
    before.launch(task);
    await("the task to start", WAIT, () -> read(task.sandbox().resolve("stdout"))
        .contains("bye"));
    before.close();
    java.nio.file.Files.writeString(task.sandbox().resolve("go"), "");
    await("the container to exit", WAIT, () -> !docker.inspect(task).orElseThrow().getState()
        .getRunning());

    try (DockerContainerizer after = docker.containerizer(Map.of())) {
      List<Container> recovered = after.recover(List.of(task.sandbox()));
      assertEquals(1, recovered.size());
      Termination t = recovered.get(0).termination().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(4, t.exitCode());
      assertEquals("exited with status 4", t.message());
      assertEquals("bye\n", read(task.sandbox().resolve("stdout")));
      assertTrue(docker.inspect(task).isEmpty());
    }
  }

  @Test
  void containersOfAnotherAgentAreLeftAlone() throws Exception {
    LaunchRequest task = docker.shell("other-agent", "cpus:0.1;mem:32", "sleep 300");
    DockerContainerizer mine = docker.containerizer(Map.of());
    Container c = mine.launch(task);
    try (DockerFixture other = new DockerFixture();
        DockerContainerizer theirs = other.containerizer(Map.of());
        DockerContainerizer sameIdOtherWorkDir = new DockerContainerizer()) {
      assertEquals(List.of(), theirs.recover(List.of()));
      sameIdOtherWorkDir.initialize(new io.trellis.agent.containerizer.ContainerizerContext(
          docker.agentId, other.workDir, Map.of()));
      assertEquals(List.of(), sameIdOtherWorkDir.recover(List.of()));
      assertTrue(docker.inspect(task).orElseThrow().getState().getRunning());
    }
    c.kill(Duration.ZERO);
    assertTrue(c.termination().get(WAIT.toSeconds(), TimeUnit.SECONDS).killed());
    mine.close();
  }
}
