package io.trellis.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.trellis.api.AgentProtocol;
import io.trellis.api.CommandSpec;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health updates on the agent's checkpointed update path, with a real task and no master: they
 * queue behind earlier updates, a newer one replaces one not sent yet, one in flight stays until
 * acknowledged, and a terminal update drops those not sent.
 */
class HealthUpdatesTest {
  private static final String FW = "fw-1";
  @TempDir
  Path work;
  private Agent agent;

  @BeforeEach
  void start() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    agent = new Agent(AgentConfig.of("127.0.0.1:" + closed, work), Resources.parse("cpus:1;mem:256"), Attributes.NONE);
    agent.start("127.0.0.1:1", new MasterLink(new FixedMasterDetector("127.0.0.1:" + closed)));
    on(() -> {
      agent.launch(new AgentProtocol.Launch(FW, "*", new TaskSpec("web", "web", "a1", "cpus:0.1;mem:32",
          CommandSpec.shell("sleep 600"), Map.of(), 1.0, null)));
      return null;
    });
    // The task starts off the agent's thread; once it runs, its STARTING/RUNNING are delivered.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (on(() -> agent.tasks.get(Agent.key(FW, "web")).state) != TaskState.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    while (!pending().isEmpty() && System.nanoTime() < deadline) {
      send();
      acknowledgeHead();
    }
    assertEquals(List.of(), pending());
  }

  @AfterEach
  void stop() throws Exception {
    on(() -> {
      agent.kill(new AgentProtocol.Kill(FW, "web", 0.0));
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (on(() -> agent.tasks.get(Agent.key(FW, "web")).state) != TaskState.KILLED && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    agent.close();
  }

  private <T> T on(java.util.concurrent.Callable<T> work) {
    return agent.call(work).join();
  }

  private List<String> pending() {
    return on(() -> agent.tasks.get(Agent.key(FW, "web")).pending.stream().map(HealthUpdatesTest::describe).toList());
  }

  private static String describe(TaskStatus s) {
    return s.state() + (s.healthy() == null ? "" : s.healthy() ? "+healthy" : "+unhealthy");
  }

  private long checkpointed() throws Exception {
    try (Stream<Path> files = Files.list(agent.checkpoints.taskDir(FW, "web").resolve("updates"))) {
      return files.count();
    }
  }

  private void health(boolean healthy) {
    on(() -> {
      agent.healthChanged(Agent.key(FW, "web"), healthy, healthy ? "passed" : "failed");
      return null;
    });
  }

  /** Sends what is due, as the master link does, and returns the statuses sent. */
  private List<String> send() {
    return on(() -> {
      List<AgentProtocol.Update> due = agent.updatesToSend(false);
      due.forEach(u -> agent.sent(u.status().uuid()));
      return due.stream().map(u -> describe(u.status())).toList();
    });
  }

  private void acknowledgeHead() {
    on(() -> {
      TaskStatus head = agent.tasks.get(Agent.key(FW, "web")).pending.peekFirst();
      agent.acknowledge(new AgentProtocol.Acknowledge("web", head.uuid()));
      return null;
    });
  }

  @Test
  void healthUpdatesQueueInOrderAndANewerOneReplacesOneNotSent() throws Exception {
    health(true);
    health(false);
    assertEquals(List.of("RUNNING+unhealthy"), pending(), "the unsent healthy was replaced");
    assertEquals(1, checkpointed());

    assertEquals(List.of("RUNNING+unhealthy"), send());
    health(true);
    assertEquals(List.of("RUNNING+unhealthy", "RUNNING+healthy"), pending(), "the one in flight stays");
    assertEquals(List.of(), send(), "nothing more until the one in flight is acknowledged");
    acknowledgeHead();
    assertEquals(List.of("RUNNING+healthy"), send());
    acknowledgeHead();
    assertEquals(List.of(), pending());
    assertEquals(0, checkpointed());
  }

  @Test
  void aTerminalUpdateSupersedesHealthUpdatesNotSent() throws Exception {
    health(true);
    send();
    health(false);
    assertEquals(List.of("RUNNING+healthy", "RUNNING+unhealthy"), pending());

    on(() -> {
      agent.kill(new AgentProtocol.Kill(FW, "web", 0.0));
      return null;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Supplier<List<String>> p = this::pending;
    while (!p.get().contains("KILLED") && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(List.of("RUNNING+healthy", "KILLED"), pending(), "the unsent health update is gone");
    assertEquals(2, checkpointed());
    health(false);
    assertEquals(List.of("RUNNING+healthy", "KILLED"), pending(), "no health update after the end");
    TaskStatus killed = on(() -> agent.tasks.get(Agent.key(FW, "web")).pending.peekLast());
    assertNull(killed.healthy());
  }
}
