package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.OperatorClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real cluster on loopback: an embedded ZooKeeper, two masters contending through it, and two
 * agent processes with their own work directories and ports, driven through the client library.
 * The tests run in order; the later ones crash and restart parts of the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static final String AGENT_RESOURCES = "cpus:2;mem:2048;disk:1000;ports:[31000-31099]";

  private static final java.util.logging.Logger JERSEY = java.util.logging.Logger.getLogger("org.glassfish");

  static {
    JERSEY.setLevel(java.util.logging.Level.SEVERE);
  }

  private Path dir;
  private TestingServer zk;
  private String zkSpec;
  private final List<MasterProcess> masters = new ArrayList<>();
  private AgentJvm agent1;
  private AgentJvm agent2;
  private MasterDetector detector;
  private OperatorClient operator;
  private TestFramework framework;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("trellis-cluster-test-");
    zk = new TestingServer(true);
    zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    MasterConfig config = MasterConfig.defaults().withPort(0).withHeartbeatInterval(Duration.ofSeconds(1))
        .withAgentTimeouts(Duration.ofSeconds(6), Duration.ofSeconds(120));
    masters.add(MasterProcess.withZooKeeper(config, zkSpec));
    masters.add(MasterProcess.withZooKeeper(config, zkSpec));
    agent1 = new AgentJvm(zkSpec, dir.resolve("agent1"), AGENT_RESOURCES).start();
    agent2 = new AgentJvm(zkSpec, dir.resolve("agent2"), AGENT_RESOURCES).start();
    detector = MasterDetectors.from(zkSpec);
    operator = new OperatorClient(detector);
    awaitState("two reachable agents", s -> reachableAgents(s) == 2);
    framework = new TestFramework(detector, "cluster-test", "*", 600);
  }

  @AfterAll
  void stop() throws Exception {
    if (framework != null) {
      framework.close();
    }
    for (AgentJvm a : new AgentJvm[] {agent1, agent2}) {
      if (a != null) {
        a.close();
      }
    }
    for (MasterProcess m : masters) {
      m.close();
    }
    if (detector != null) {
      detector.close();
    }
    if (zk != null) {
      zk.close();
    }
    killLeftoverTasks();
  }

  @Test
  @Order(1)
  void aTaskRunsAndFinishesWithItsOutputInTheSandbox() throws Exception {
    framework.launch("hello", "cpus:0.1;mem:32", "echo hello from $TRELLIS_TASK_ID");
    TaskStatus done = framework.awaitState("hello", TaskState.FINISHED);
    assertEquals(0, done.exitCode());
    Path stdout = sandbox(done).resolve("stdout");
    assertEquals("hello from hello\n", Files.readString(stdout));
  }

  @Test
  @Order(2)
  void aTaskThatExitsNonZeroIsFailedWithItsExitCode() throws Exception {
    framework.launch("fails", "cpus:0.1;mem:32", "exit 3");
    TaskStatus failed = framework.awaitState("fails", TaskState.FAILED);
    assertEquals(3, failed.exitCode());
  }

  @Test
  @Order(3)
  void killingATaskRemovesItsWholeProcessGroup() throws Exception {
    framework.launch("group", "cpus:0.1;mem:32", "sleep 1000 & echo $! > child.pid; sleep 1000");
    TaskStatus running = framework.awaitState("group", TaskState.RUNNING);
    Path pidFile = sandbox(running).resolve("child.pid");
    long child = awaitPid(pidFile);
    assertTrue(Files.exists(Path.of("/proc/" + child)), "the background child runs");

    framework.client.kill("group", running.agentId());

    framework.awaitState("group", TaskState.KILLED);
    assertTrue(awaitGone(child), "the background child is gone too");
  }

  @Test
  @Order(4)
  void twoFrameworksShareTheClusterByDrf() throws Exception {
    try (TestFramework other = new TestFramework(detector, "drf-other", "*", 0)) {
      try {
        framework.greedyTaskResources = "cpus:0.5;mem:64";
        other.greedyTaskResources = "cpus:0.5;mem:64";
        framework.client.revive(List.of());
        other.client.revive(List.of());
        // Four cpus in all and tasks of half a cpu, one per offer: equal shares, four tasks each,
        // give or take the one task an accept still in flight can shift from one to the other.
        awaitState("all cpus in use", s -> runningTasks(s, null) >= 8);
        JsonNode s = operator.state();
        int mine = runningTasks(s, framework.client.frameworkId());
        int theirs = runningTasks(s, other.client.frameworkId());
        assertEquals(8, mine + theirs, s.toString());
        assertTrue(Math.abs(mine - theirs) <= 2, "DRF shares the cpus evenly: " + mine + " and " + theirs + " tasks");
      } finally {
        framework.greedyTaskResources = null;
        other.greedyTaskResources = null;
      }
      other.client.teardown();
      awaitState("the other framework's tasks ended", st -> runningTasks(st, other.client.frameworkId()) == 0);
    }
    for (TaskStatus s : new ArrayList<>(framework.latest.values())) {
      if (s.taskId().contains("-greedy-") && !s.state().isTerminal()) {
        framework.client.kill(s.taskId(), s.agentId());
      }
    }
    awaitState("greedy tasks killed", st -> runningTasks(st, framework.client.frameworkId()) == 0);
  }

  @Test
  @Order(5)
  void aCrashedAgentsTasksBecomeUnreachableAndARestartRecoversThem() throws Exception {
    framework.queue.add(new TestFramework.Pending("survivor", "cpus:0.1;mem:32",
        io.trellis.api.CommandSpec.shell("sleep 1000"), agentId(agent2)));
    framework.client.revive(List.of());
    TaskStatus running = framework.awaitState("survivor", TaskState.RUNNING);
    assertEquals(agentId(agent2), running.agentId());

    agent2.crash();

    framework.awaitState("survivor", TaskState.UNREACHABLE);
    JsonNode s = operator.state();
    assertEquals(1, reachableAgents(s));
    for (JsonNode o : s.path("offers")) {
      assertNotEquals(agentId(agent2), o.path("agentId").asText(), "no offer comes from the lost agent");
    }

    agent2.start();

    TaskStatus back = framework.awaitAny("survivor", st -> st.state() == TaskState.RUNNING
        && "REASON_AGENT_REREGISTERED".equals(st.reason()), Duration.ofSeconds(60));
    assertEquals(agentId(agent2), back.agentId());
    awaitState("agent 2 reachable again", st -> reachableAgents(st) == 2);
    assertEquals(1, countTasks(operator.state(), "survivor"), "the task is recovered, not duplicated");
    framework.client.kill("survivor", running.agentId());
    framework.awaitState("survivor", TaskState.KILLED);
  }

  @Test
  @Order(6)
  void whenTheLeadingMasterDiesTheOtherLeadsAndEveryoneFollows() throws Exception {
    MasterProcess leader = masters.stream().filter(MasterProcess::isLeader).findFirst().orElseThrow();
    MasterProcess standby = masters.stream().filter(m -> !m.isLeader()).findFirst().orElseThrow();
    java.net.http.HttpResponse<String> redirect = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + standby.endpoint() + "/api/v1/state")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(307, redirect.statusCode(), "a standby redirects to the leader");
    assertEquals("http://" + leader.endpoint() + "/api/v1/state", redirect.headers().firstValue("Location").orElse(""));
    String before = leader.id();
    leader.close();
    masters.remove(leader);

    awaitState("a new leader with both agents", s -> !s.path("masterId").asText().equals(before)
        && reachableAgents(s) == 2);
    framework.launch("after-failover", "cpus:0.1;mem:32", "echo still here");
    TaskStatus done = framework.awaitState("after-failover", TaskState.FINISHED);
    assertEquals("still here\n", Files.readString(sandbox(done).resolve("stdout")));
  }

  @Test
  @Order(7)
  void aKillInProgressWhenTheAgentCrashesIsFinishedByTheRestartedAgent() throws Exception {
    // The task ignores SIGTERM, so only the SIGKILL at the end of its grace period ends it: a
    // timer of the agent that is about to crash.
    framework.queue.add(new TestFramework.Pending("stubborn", "cpus:0.1;mem:32",
        io.trellis.api.CommandSpec.shell("trap '' TERM; sleep 1000"), agentId(agent2)));
    framework.client.revive(List.of());
    TaskStatus running = framework.awaitState("stubborn", TaskState.RUNNING);
    framework.client.kill("stubborn", running.agentId());
    Path kill = agent2.sandbox(running.frameworkId(), "stubborn").resolveSibling("kill.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(kill) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(Files.exists(kill), "the agent checkpoints the kill before it starts it; agent log:\n"
        + AgentJvm.logTail(agent2.log));

    agent2.crash();
    agent2.start();

    TaskStatus killed;
    try {
      killed = framework.awaitState("stubborn", TaskState.KILLED);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nevery update of the task: " + framework.updates.stream()
          .filter(u -> u.taskId().equals("stubborn")).toList() + "\nagent log:\n" + AgentJvm.logTail(agent2.log), e);
    }
    assertEquals("REASON_TASK_KILLED", killed.reason(), killed.toString());
  }

  // Helpers.

  private Path sandbox(TaskStatus s) {
    AgentJvm agent = s.agentId().equals(agentId(agent1)) ? agent1 : agent2;
    return agent.sandbox(s.frameworkId(), s.taskId());
  }

  private String agentId(AgentJvm agent) {
    try {
      return Files.readString(agent.workDir.resolve("agent-id")).trim();
    } catch (java.io.IOException e) {
      throw new AssertionError("agent has no id yet: " + AgentJvm.logTail(agent.log), e);
    }
  }

  /** Whether the process ends (or is only a zombie waiting for its reaper) within 10 s. */
  private static boolean awaitGone(long pid) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (java.io.IOException gone) {
        return true;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return false;
  }

  private static long awaitPid(Path file) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try {
        String text = Files.readString(file).trim();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      } catch (java.io.IOException | NumberFormatException notYet) {
        // The task has not written it yet.
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError("no pid in " + file);
  }

  private void awaitState(String what, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = operator.state();
        if (condition.test(last)) {
          return;
        }
      } catch (RuntimeException notReady) {
        // No leader yet, or it is loading its state.
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; last state: " + last
        + "\nagent1 log:\n" + AgentJvm.logTail(agent1.log) + "\nagent2 log:\n" + AgentJvm.logTail(agent2.log));
  }

  private static int reachableAgents(JsonNode s) {
    int n = 0;
    for (JsonNode a : s.path("agents")) {
      n += a.path("reachable").asBoolean() ? 1 : 0;
    }
    return n;
  }

  private static int runningTasks(JsonNode s, String frameworkId) {
    int n = 0;
    for (JsonNode t : s.path("tasks")) {
      if (t.path("state").asText().equals("RUNNING")
          && (frameworkId == null || t.path("frameworkId").asText().equals(frameworkId))) {
        n++;
      }
    }
    return n;
  }

  private static int countTasks(JsonNode s, String taskId) {
    int n = 0;
    for (JsonNode t : s.path("tasks")) {
      n += t.path("id").asText().equals(taskId) ? 1 : 0;
    }
    return n;
  }

  /** Tasks run in their own sessions and outlive the agents: end them with the test. */
  private void killLeftoverTasks() {
    try {
      new ProcessBuilder("pkill", "-f", "sleep 1000").start().waitFor();
    } catch (Exception ignored) {
      // Nothing left to kill.
    }
  }
}
