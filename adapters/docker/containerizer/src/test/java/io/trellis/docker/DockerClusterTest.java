package io.trellis.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end: an embedded ZooKeeper, a master and an agent in this JVM (the agent finds the
 * Docker containerizer on the class path), and a framework on the client library that launches
 * a DOCKER web server with a port mapping from its offer, reaches it, then kills it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
  private AgentProcess agent;
  private MasterDetector detector;
  private SchedulerClient client;
  private final WebFramework framework = new WebFramework();

  /** Launches one DOCKER web server on the first offer with a port, declines everything else. */
  private static final class WebFramework implements Scheduler {
    final AtomicBoolean launched = new AtomicBoolean();
    final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile long hostPort;
    volatile String agentId;

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      for (OfferInfo o : offers) {
        Ranges ports = Resources.parse(o.resources()).ranges(Resources.PORTS);
        if (launched.get() || ports.isEmpty()) {
          c.decline(List.of(o.id()), 5.0);
          continue;
        }
        launched.set(true);
        hostPort = ports.begin(0);
        agentId = o.agentId();
        ContainerSpec container = new ContainerSpec("DOCKER", DockerFixture.IMAGE, "BRIDGE",
            false, false, List.of(Map.of("containerPort", 8080, "hostPort", 0, "name", "http")),
            List.of(), Map.of());
        TaskSpec web = new TaskSpec("web-1", "web", o.agentId(),
            "cpus:0.2;mem:32;ports:[" + hostPort + "-" + hostPort + "]",
            CommandSpec.shell("mkdir -p /www && echo served by $TRELLIS_TASK_ID > /www/index.html"
                + " && exec httpd -f -p 8080 -h /www"),
            Map.of("app", "web"), 5.0, container);
        c.accept(List.of(o.id()), List.of(web), 5.0);
      }
    }

    @Override
    public void update(SchedulerClient c, TaskStatus status) {
      latest.put(status.taskId(), status);
    }

    @Override
    public void error(SchedulerClient c, String message) {
      errors.add(message);
    }

    TaskStatus await(String taskId, TaskState state) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        TaskStatus s = latest.get(taskId);
        if (s != null && s.state() == state) {
          return s;
        }
        Thread.sleep(100);
      }
      return fail("task " + taskId + " did not become " + state + " within " + WAIT
          + "; latest: " + latest.get(taskId) + "; errors: " + errors);
    }
  }

  @BeforeAll
  void start() throws Exception {
    docker = new DockerFixture();
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    int first = freePorts(3);
    Path work = Files.createTempDirectory("trellis-docker-cluster-");
    AgentConfig config = AgentConfig.of(zkSpec, work).withPort(0)
        .withResources("cpus:4;mem:4096;ports:[" + first + "-" + (first + 2) + "]");
    agent = AgentProcess.start(config, Resources.parse(config.resources()), Attributes.NONE,
        MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
    client = SchedulerClient.start(detector, new FrameworkInfo(null, "docker-web", "test",
        List.of("*"), 60.0, null), framework);
    client.awaitSubscribed(WAIT);
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
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
  void aDockerTaskWithAPortMappingServesHttpUntilItIsKilled() throws Exception {
    TaskStatus running = framework.await("web-1", TaskState.RUNNING);
    assertEquals(framework.agentId, running.agentId());
    String body = DockerFixture.httpGet("http://127.0.0.1:" + framework.hostPort + "/", WAIT);
    assertEquals("served by web-1\n", body);
    String name = ContainerPlan.name(client.frameworkId(), "web-1");
    var labels = docker.daemon.client().inspectContainerCmd(name).exec().getConfig().getLabels();
    assertEquals(running.agentId(), labels.get("trellis.agent-id"));
    assertEquals("web", labels.get("app"));

    client.kill("web-1", framework.agentId);
    TaskStatus killed = framework.await("web-1", TaskState.KILLED);
    assertTrue(killed.message().startsWith("killed by the agent"), killed.message());
    assertTrue(docker.daemon.client().listContainersCmd().withShowAll(true)
        .withNameFilter(List.of(name)).exec().isEmpty(), "the container is gone");
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
          free = true;
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
