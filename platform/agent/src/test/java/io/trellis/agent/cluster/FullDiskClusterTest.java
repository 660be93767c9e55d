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
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent whose work directory is full, on a real 2 MiB tmpfs mounted by the test (as root):
 * a launch it cannot record ends FAILED naming the full directory, a kill it cannot checkpoint
 * still kills the task and its KILLED update still reaches the framework, and once space is free
 * again tasks run. Real ZooKeeper, master, agent and processes.
 */
class FullDiskClusterTest {
  private static final String RESOURCES = "cpus:4;mem:2048";
  private final QueuedFramework queued = new QueuedFramework();
  private Path dir;
  private Path mount;
  private Path workDir;
  private TestingServer zk;
  private MasterProcess master;
  private AgentProcess agent;
  private MasterDetector detector;
  private SchedulerClient framework;

  @BeforeEach
  void start() throws Exception {
    // bin/test runs as root (it also sets up Docker); a full disk cannot be faked without a mount.
    assertTrue("root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root: run the tests as root, as bin/test does");
    dir = Files.createTempDirectory("trellis-full-disk-test-");
    mount = Files.createDirectories(dir.resolve("fs"));
    run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    workDir = mount.resolve("agent");
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    agent = AgentProcess.start(AgentConfig.of(zkSpec, workDir).withPort(0).withResources(RESOURCES)
        .withSettings(Map.of("cgroups", "off")), Resources.parse(RESOURCES), Attributes.NONE,
        MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
    framework = SchedulerClient.start(detector, new FrameworkInfo(null, "full-disk", "test", List.of("*"), 60.0, null),
        queued);
    framework.awaitSubscribed(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() throws Exception {
    if (dir == null) {
      return;
    }
    for (AutoCloseable c : new AutoCloseable[] {framework, detector, agent, master, zk}) {
      if (c != null) {
        c.close();
      }
    }
    run("umount", "-l", mount.toString());
  }

  private static void run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0 && argv[0].equals("mount")) {
      throw new AssertionError(String.join(" ", argv) + " failed: " + out);
    }
  }

  private void launch(String taskId) throws InterruptedException {
    OfferInfo o = queued.nextOffer();
    framework.accept(List.of(o.id()), List.of(new TaskSpec(taskId, taskId, o.agentId(), "cpus:0.1;mem:16",
        CommandSpec.shell("sleep 600"), Map.of(), 1.0,
        null)), 0.0);
  }

  private TaskStatus await(String taskId, TaskState... states) throws InterruptedException {
    return queued.await(taskId, states);
  }

  /** Writes a file until the tmpfs refuses more. */
  private Path fill() throws IOException {
    Path filler = mount.resolve("filler");
    byte[] chunk = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(chunk);
        out.flush();
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
    }
    return filler;
  }

  @Test
  void launchesOnAFullDiskFailNamingItAndKillsAndUpdatesStillGetThrough() throws Exception {
    launch("before");
    TaskStatus running = await("before", TaskState.RUNNING, TaskState.FAILED);
    assertEquals(TaskState.RUNNING, running.state(), running.toString());

    Path filler = fill();
    launch("on-full-disk");
    TaskStatus failed = await("on-full-disk", TaskState.FAILED, TaskState.ERROR, TaskState.RUNNING);
    assertEquals(TaskState.FAILED, failed.state(), failed.toString());
    assertTrue(failed.message().startsWith("no space left on device in " + workDir), failed.message());

    // A kill and the update it causes cannot be checkpointed: both happen all the same.
    framework.kill("before", running.agentId());
    TaskStatus killed = await("before", TaskState.KILLED, TaskState.FAILED);
    assertEquals(TaskState.KILLED, killed.state(), killed.toString());

    Files.delete(filler);
    launch("after");
    TaskStatus after = await("after", TaskState.RUNNING, TaskState.FAILED);
    assertEquals(TaskState.RUNNING, after.state(), after.toString());
    framework.kill("after", after.agentId());
    await("after", TaskState.KILLED);
  }
}
