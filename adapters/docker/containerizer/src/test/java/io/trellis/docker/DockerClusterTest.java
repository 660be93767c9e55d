package io.trellis.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.HealthCheckSpec;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Ranges;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end: an embedded ZooKeeper and a master in this JVM, an agent in its own JVM with the
 * Docker containerizer on its class path, and a framework on the client library that launches
 * DOCKER web servers with a port mapping from its offers, reaches them and kills them, across
 * an agent crash too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Held strongly: Jersey and Grizzly log through java.util.logging, which forgets levels. */
  private static final java.util.logging.Logger JERSEY =
      java.util.logging.Logger.getLogger("org.glassfish");

  static {
    JERSEY.setLevel(java.util.logging.Level.SEVERE);
  }

  private DockerFixture docker;
  private TestingServer zk;
  private MasterProcess master;
  private AgentJvm agent;
  private MasterDetector detector;
  private SchedulerClient client;
  private final WebFramework framework = new WebFramework();

  /**
   * Launches each queued web server on the next offer with a free port, mapping container port
   * 8080 to that port; declines everything else.
   */
  private static final class WebFramework implements Scheduler {
    final Queue<String> queue = new ConcurrentLinkedQueue<>();
    final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
    final Map<String, Long> hostPorts = new ConcurrentHashMap<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile String agentId;

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      for (OfferInfo o : offers) {
        Ranges ports = Resources.parse(o.resources()).ranges(Resources.PORTS);
        String taskId = queue.peek();
        if (taskId == null || ports.isEmpty()) {
          c.decline(List.of(o.id()), 1.0);
          continue;
        }
        queue.poll();
        long port = ports.begin(0);
        hostPorts.put(taskId, port);
        agentId = o.agentId();
        ContainerSpec container = new ContainerSpec("DOCKER", DockerFixture.IMAGE, "BRIDGE",
            false, false, List.of(Map.of("containerPort", 8080, "hostPort", 0, "name", "http")),
            List.of(), Map.of());
        TaskSpec web = new TaskSpec(taskId, "web", o.agentId(),
            "cpus:0.2;mem:32;ports:[" + port + "-" + port + "]",
            CommandSpec.shell("echo started $TRELLIS_TASK_ID; mkdir -p /www"
                + " && echo served by $TRELLIS_TASK_ID > /www/index.html"
                + " && exec httpd -f -p 8080 -h /www"),
            Map.of("app", "web"), 5.0, container, healthChecks(taskId, port));
        c.accept(List.of(o.id()), List.of(web), 1.0);
      }
    }

    /**
     * HTTP through the mapped port for "checked-" tasks; for "probed-" and "sick-" tasks a
     * command that only passes inside the container, with the container's environment.
     */
    private static List<HealthCheckSpec> healthChecks(String taskId, long port) {
      if (taskId.startsWith("checked-")) {
        return List.of(new HealthCheckSpec("HTTP", (int) port, "/", null, 60, 1, 2, 3, 0));
      }
      String file = taskId.startsWith("probed-") ? "/www/index.html" : "/www/missing";
      if (taskId.startsWith("probed-") || taskId.startsWith("sick-")) {
        return List.of(new HealthCheckSpec("COMMAND", null, null,
            "test \"$TRELLIS_TASK_ID\" = " + taskId + " && grep -q served " + file,
            0, 1, 2, 2, 0));
      }
      return List.of();
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      // A task's first terminal state is its end: a KILL repeated after it (the test retries
      // until the restarted agent answers) is answered GONE, which must not replace KILLED.
      latest.merge(status.taskId(), status, (was, now) -> was.state().isTerminal() ? was : now);
    }

    @Override
    public void error(SchedulerClient c, String message) {
      errors.add(message);
    }

    TaskStatus await(String taskId, Predicate<TaskStatus> condition, String what)
        throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        TaskStatus s = latest.get(taskId);
        if (s != null && condition.test(s)) {
          return s;
        }
        Thread.sleep(100);
      }
      return fail("task " + taskId + " did not become " + what + " within " + WAIT
          + "; latest: " + latest.get(taskId) + "; errors: " + errors);
    }
  }

  @BeforeAll
  void start() throws Exception {
    docker = new DockerFixture();
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0)
        .withHeartbeatInterval(Duration.ofSeconds(1))
        .withAgentTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(120)), zkSpec);
    int first = freePorts(3);
    Path work = Files.createTempDirectory("trellis-docker-cluster-");
    agent = new AgentJvm(zkSpec, work.resolve("agent"), DockerFixture.freePort(),
        "cpus:4;mem:4096;ports:[" + first + "-" + (first + 2) + "]").start();
    detector = MasterDetectors.from(zkSpec);
    client = SchedulerClient.start(detector, new FrameworkInfo(null, "docker-web", "test",
        List.of("*"), 600.0, null), framework);
    client.awaitSubscribed(WAIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      removeContainersOf(client.frameworkId());
      client.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (master != null) {
      master.close();
    }
    if (detector != null) {
      detector.close();
    }
    if (zk != null) {
      zk.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  @Order(1)
  void aDockerTaskWithAPortMappingServesHttpUntilItIsKilled() throws Exception {
    framework.queue.add("web-1");
    client.revive(List.of());
    TaskStatus running = await("web-1", TaskState.RUNNING);
    assertEquals(framework.agentId, running.agentId());
    String body = DockerFixture.httpGet("http://127.0.0.1:" + framework.hostPorts.get("web-1")
        + "/", WAIT);
    assertEquals("served by web-1\n", body);
    String name = ContainerPlan.name(client.frameworkId(), "web-1");
    var labels = docker.daemon.client().inspectContainerCmd(name).exec().getConfig().getLabels();
    assertEquals(running.agentId(), labels.get("trellis.agent-id"));
    assertEquals("web", labels.get("app"));

    client.kill("web-1", framework.agentId);
    TaskStatus killed = await("web-1", TaskState.KILLED);
    assertTrue(killed.message().startsWith("killed by the agent"), killed.message());
    assertContainerGone(name);
  }

  @Test
  @Order(2)
  void aDockerTaskKeepsRunningAcrossAnAgentCrashAndIsKilledByTheRestartedAgent()
      throws Exception {
    framework.queue.add("web-2");
    client.revive(List.of());
    await("web-2", TaskState.RUNNING);
    String url = "http://127.0.0.1:" + framework.hostPorts.get("web-2") + "/";
    assertEquals("served by web-2\n", DockerFixture.httpGet(url, WAIT));

    agent.crash();
    assertEquals("served by web-2\n", DockerFixture.httpGet(url, WAIT),
        "the container outlives its agent");
    agent.start();

    // The restarted agent recovers the container; a kill reaches it once it has registered.
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (framework.latest.get("web-2").state() != TaskState.KILLED
        && System.nanoTime() < deadline) {
      client.kill("web-2", framework.agentId);
      Thread.sleep(2000);
    }
    TaskStatus killed = await("web-2", TaskState.KILLED);
    assertTrue(killed.message().startsWith("killed by the agent"), killed.message()
        + "\n" + agent.logTail());
    assertContainerGone(ContainerPlan.name(client.frameworkId(), "web-2"));
    assertEquals("started web-2\n", Files.readString(agent.sandbox(client.frameworkId(),
        "web-2").resolve("stdout")), "the output is copied once, across the restart");
  }

  @Test
  @Order(3)
  void anHttpHealthCheckReachesADockerTaskThroughItsMappedPort() throws Exception {
    framework.queue.add("checked-web");
    client.revive(List.of());
    TaskStatus healthy = await("checked-web", s -> s.state() == TaskState.RUNNING
        && Boolean.TRUE.equals(s.healthy()), "RUNNING and healthy");
    assertEquals(framework.agentId, healthy.agentId());
    client.kill("checked-web", framework.agentId);
    await("checked-web", TaskState.KILLED);
    assertContainerGone(ContainerPlan.name(client.frameworkId(), "checked-web"));
  }

  @Test
  @Order(4)
  void aCommandHealthCheckRunsInsideTheDockerContainer() throws Exception {
    assertFalse(Files.exists(Path.of("/www")), "the host must not have the container's /www");
    framework.queue.add("probed-web");
    framework.queue.add("sick-web");
    client.revive(List.of());
    await("probed-web", s -> s.state() == TaskState.RUNNING && Boolean.TRUE.equals(s.healthy()),
        "RUNNING and healthy");
    TaskStatus sick = await("sick-web", s -> s.state() == TaskState.RUNNING
        && Boolean.FALSE.equals(s.healthy()), "RUNNING and unhealthy");
    // grep finds no such file (status 2): the id matched, so the command saw the container's environment.
    assertTrue(sick.message().contains("in the container exited with status 2"), sick.message());
    for (String id : List.of("probed-web", "sick-web")) {
      client.kill(id, framework.agentId);
      await(id, TaskState.KILLED);
    }
  }

  private TaskStatus await(String taskId, TaskState state) throws InterruptedException {
    return await(taskId, s -> s.state() == state, state.toString());
  }

  private TaskStatus await(String taskId, Predicate<TaskStatus> condition, String what)
      throws InterruptedException {
    try {
      return framework.await(taskId, condition, what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nagent log:\n" + agent.logTail(), e);
    }
  }

  /** Leaves nothing behind when a test failed half-way. */
  private void removeContainersOf(String frameworkId) {
    if (frameworkId == null || docker == null) {
      return;
    }
    docker.daemon.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerPlan.LABEL_FRAMEWORK_ID, frameworkId)).exec()
        .forEach(c -> docker.daemon.client().removeContainerCmd(c.getId()).withForce(true)
            .exec());
  }

  private void assertContainerGone(String name) {
    assertTrue(docker.daemon.client().listContainersCmd().withShowAll(true)
        .withNameFilter(List.of(name)).exec().isEmpty(), "container " + name + " is gone");
  }

  /** The first of {@code n} consecutive ports free on loopback. */
  private static int freePorts(int n) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int first = DockerFixture.freePort();
      if (first + n > 65535) {
        continue;
      }
      boolean free = true;
      for (int p = first + 1; p < first + n && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
          free = s.isBound();
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IOException("no " + n + " consecutive free ports on loopback");
  }
}
