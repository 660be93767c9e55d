package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.Agent;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * An agent started on a host whose boot id changed since it last ran (the host rebooted) reports
 * its checkpointed tasks GONE, never RUNNING — even when a process with the checkpointed pid and
 * start time exists, since after a reboot that pid may be anything. Real ZooKeeper, master, agent
 * and processes.
 */
class RebootedHostClusterTest {
  private static final String RESOURCES = "cpus:2;mem:512";

  @Test
  void anAgentOnARebootedHostReportsItsTasksGoneEvenWhenTheirPidsStillMatch() throws Exception {
    Path work = Files.createTempDirectory("trellis-rebooted-host-test-").resolve("agent");
    QueuedFramework queued = new QueuedFramework();
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      AgentConfig before = AgentConfig.of(zkSpec, work).withPort(0).withResources(RESOURCES)
          .withSettings(Map.of(AgentConfig.BOOT_ID, "boot-before"));
      try (MasterProcess master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
          MasterDetector detector = MasterDetectors.from(zkSpec);
          SchedulerClient framework = SchedulerClient.start(detector,
              new FrameworkInfo(null, "rebooted-host", "test", List.of("*"), 60.0, null), queued)) {
        AgentProcess agent = AgentProcess.start(before, Resources.parse(RESOURCES), Attributes.NONE,
            MasterDetectors.from(zkSpec));
        OfferInfo offer = queued.nextOffer();
        framework.accept(List.of(offer.id()), List.of(new TaskSpec("sleeper", "sleeper", offer.agentId(),
            "cpus:0.1;mem:16", CommandSpec.shell("echo $$ > pid.tmp && mv pid.tmp pid; exec sleep 600"), Map.of(),
            1.0, null)), 60.0);
        assertEquals(TaskState.RUNNING, queued.await("sleeper", TaskState.RUNNING, TaskState.FAILED).state());
        long pid = pidOf(work);
        agent.close();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
            "the task should outlive its agent, as it does on a host that did not reboot");

        AgentConfig after = before.withSettings(Map.of(AgentConfig.BOOT_ID, "boot-after"));
        try (AgentProcess again = AgentProcess.start(after, Resources.parse(RESOURCES), Attributes.NONE,
            MasterDetectors.from(zkSpec))) {
          TaskStatus status = queued.await("sleeper", TaskState.GONE, TaskState.RUNNING, TaskState.FAILED,
              TaskState.LOST, TaskState.KILLED);
          assertEquals(TaskState.GONE, status.state(), status.toString());
          assertEquals(Agent.REASON_AGENT_REBOOTED, status.reason(), status.toString());
          assertEquals("boot-after", Files.readString(work.resolve("boot-id")).strip());
        } finally {
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  private static long pidOf(Path work) throws Exception {
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); ; ) {
      try (var found = Files.walk(work)) {
        Path file = found.filter(p -> p.getFileName().toString().equals("pid")).findFirst().orElse(null);
        if (file != null) {
          return Long.parseLong(Files.readString(file).trim());
        }
      }
      assertTrue(System.nanoTime() < deadline, "the task wrote no pid file within 30 s");
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
