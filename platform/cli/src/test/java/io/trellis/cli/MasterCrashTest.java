package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.client.discovery.MasterInfo;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The leading master is a separate process killed with SIGKILL: its ZooKeeper session expires,
 * the standby takes over, and the agent and the framework follow it.
 */
class MasterCrashTest {
  @Test
  void aStandbyTakesOverFromAKilledLeaderAndEveryoneFollows() throws Exception {
    Path dir = Files.createTempDirectory("trellis-master-crash-");
    try (TestingServer zk = new TestingServer(true)) {
      String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
      int port = AgentJvm.freePort();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process leader = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          "io.trellis.cli.Trellis", "master", "--zk", zkSpec, "--port", Integer.toString(port),
          "--agent-timeout", "6", "--insecure"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start();
      try (MasterDetector detector = MasterDetectors.from(zkSpec)) {
        MasterInfo first = detector.await(Duration.ofSeconds(60));
        assertEquals("127.0.0.1:" + port, first.endpoint(), "the master process leads first");
        try (MasterProcess standby = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
                .withAgentTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(120)), zkSpec);
            AgentJvm agent = new AgentJvm(zkSpec, dir.resolve("agent"), "cpus:1;mem:512;disk:100").start();
            TestFramework framework = new TestFramework(detector, "crash-test", "*", 600)) {
          framework.launch("before", "cpus:0.1;mem:32", "echo before");
          framework.awaitState("before", TaskState.FINISHED);

          leader.destroyForcibly();
          leader.waitFor(10, TimeUnit.SECONDS);

          MasterInfo next = detector.awaitChange(first, Duration.ofSeconds(60));
          assertEquals(standby.endpoint(), next.endpoint());
          assertNotEquals(first.epoch(), next.epoch());
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (!standby.endpoint().equals(framework.client.subscribedTo()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          assertEquals(standby.endpoint(), framework.client.subscribedTo(), "the framework follows the new leader");
          framework.launch("after", "cpus:0.1;mem:32", "echo after");
          TaskStatus done = framework.awaitState("after", TaskState.FINISHED);
          assertEquals("after\n", Files.readString(agent.sandbox(done.frameworkId(), "after").resolve("stdout")));
        }
      } finally {
        leader.destroyForcibly();
      }
    }
  }
}
