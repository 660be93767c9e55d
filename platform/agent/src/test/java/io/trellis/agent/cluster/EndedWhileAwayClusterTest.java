package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * A task killed (SIGKILL, exit 137) while its agent was down: the restarted agent registers
 * again reporting it FAILED, and the master keeps that state, exit code and reason instead of
 * turning it into GONE. Real ZooKeeper, master, agent and processes.
 */
class EndedWhileAwayClusterTest {
  private static final String RESOURCES = "cpus:2;mem:512";

  @Test
  void aTaskThatEndedWhileItsAgentWasDownKeepsItsStateExitCodeAndReason() throws Exception {
    Path dir = Files.createTempDirectory("trellis-ended-while-away-test-");
    Path work = dir.resolve("agent");
    QueuedFramework queued = new QueuedFramework();
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      AgentConfig config = AgentConfig.of(zkSpec, work).withPort(0).withResources(RESOURCES);
      try (MasterProcess master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
          MasterDetector detector = MasterDetectors.from(zkSpec);
          SchedulerClient framework = SchedulerClient.start(detector,
              new FrameworkInfo(null, "ended-while-away", "test", List.of("*"), 60.0, null), queued)) {
        AgentProcess agent = AgentProcess.start(config, Resources.parse(RESOURCES), Attributes.NONE,
            MasterDetectors.from(zkSpec));
        OfferInfo offer = queued.nextOffer();
        framework.accept(List.of(offer.id()), List.of(new TaskSpec("crash", "crash", offer.agentId(),
            "cpus:0.1;mem:16", CommandSpec.shell("echo $$ > pid.tmp && mv pid.tmp pid; exec sleep 600"), Map.of(),
            1.0, null)), 60.0);
        assertEquals(TaskState.RUNNING, queued.await("crash", TaskState.RUNNING, TaskState.FAILED).state());
        Path pidFile = null;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); pidFile == null; ) {
          try (var found = Files.walk(work)) {
            pidFile = found.filter(p -> p.getFileName().toString().equals("pid")).findFirst().orElse(null);
          }
          assertTrue(pidFile != null || System.nanoTime() < deadline, "the task wrote no pid file within 30 s");
          TimeUnit.MILLISECONDS.sleep(20);
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());

        agent.close();
        ProcessHandle task = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("task process " + pid
            + " ended before the test killed it"));
        task.destroyForcibly();
        task.onExit().get(30, TimeUnit.SECONDS);
        try (AgentProcess again = AgentProcess.start(config, Resources.parse(RESOURCES), Attributes.NONE,
            MasterDetectors.from(zkSpec))) {
          TaskStatus ended = queued.await("crash", TaskState.FAILED, TaskState.GONE, TaskState.LOST, TaskState.KILLED);
          assertEquals(TaskState.FAILED, ended.state(), ended.toString());
          assertEquals(137, ended.exitCode(), ended.toString());
          assertEquals("REASON_COMMAND_EXECUTOR_FAILED", ended.reason(), ended.toString());
        }
      }
    }
  }
}
