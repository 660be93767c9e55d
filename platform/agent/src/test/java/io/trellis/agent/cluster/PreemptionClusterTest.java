package io.trellis.agent.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.allocator.preemption.PreemptionMode;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.SchedulerCall;
import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.client.OperatorClient;
import io.trellis.client.Scheduler;
import io.trellis.client.SchedulerClient;
import io.trellis.client.discovery.MasterDetector;
import io.trellis.client.discovery.MasterDetectors;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import io.trellis.master.PreemptionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A guarantee honoured by preemption on a real cluster: a real ZooKeeper, master and agent
 * running real processes. Role "batch" fills the agent; role "web" is then guaranteed 2 cpus
 * and states (REQUEST) that it waits for 2 cpus. The master kills two batch tasks with the preemption grace period (SIGTERM,
 * then SIGKILL), batch hears KILLED with reason PREEMPTED, and web's task runs on the freed
 * resources, which batch, still asking for more, never gets back.
 */
class PreemptionClusterTest {
  private static final String AGENT = "cpus:4;mem:1024";
  private static final String BATCH_TASK = "cpus:1;mem:128";
  private static final String WEB_TASK = "cpus:2;mem:256";
  private static final Duration GRACE = Duration.ofSeconds(3);
  private Path dir;
  private TestingServer zk;
  private MasterProcess master;
  private AgentProcess agent;
  private MasterDetector detector;
  private final List<SchedulerClient> frameworks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("trellis-preemption-test-");
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0).withPreemption(PreemptionConfig.DEFAULTS
        .withMode(PreemptionMode.GUARANTEE).withGrace(GRACE).withInterval(Duration.ofMillis(500))), zkSpec);
    agent = AgentProcess.start(AgentConfig.of(zkSpec, dir.resolve("agent")).withPort(0).withResources(AGENT),
        Resources.parse(AGENT), Attributes.NONE, MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(zkSpec);
  }

  @AfterEach
  void stop() throws Exception {
    for (SchedulerClient c : frameworks) {
      c.close();
    }
    detector.close();
    agent.close();
    master.close();
    zk.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * A framework that launches one task of {@code task} on every offer that holds it (a task that
   * ignores SIGTERM for a second, then exits), and records every update.
   */
  private final class Tasks implements Scheduler {
    final String prefix;
    final Resources task;
    final Map<String, TaskStatus> latest = new ConcurrentHashMap<>();
    final List<TaskStatus> terminal = new CopyOnWriteArrayList<>();
    final AtomicInteger launched = new AtomicInteger();

    Tasks(String prefix, String task) {
      this.prefix = prefix;
      this.task = Resources.parse(task);
    }

    @Override
    public void offers(SchedulerClient c, List<OfferInfo> offers) {
      for (OfferInfo o : offers) {
        if (Resources.parse(o.resources()).contains(task)) {
          String id = prefix + "-" + launched.incrementAndGet();
          c.accept(List.of(o.id()), List.of(new TaskSpec(id, id, o.agentId(), task.toString(),
              CommandSpec.shell("trap 'sleep 1; exit 143' TERM; sleep 600 & wait"), Map.of(), 1.0, null)), 0.0);
        } else {
          c.decline(List.of(o.id()), 0.0);
        }
      }
    }

    @Override
    public void update(SchedulerClient c, TaskStatus s) {
      latest.put(s.taskId(), s);
      if (s.state().isTerminal()) {
        terminal.add(s);
      }
    }

    long running() {
      return latest.values().stream().filter(s -> s.state() == TaskState.RUNNING).count();
    }
  }

  private SchedulerClient subscribe(String name, String role, Scheduler scheduler) throws Exception {
    SchedulerClient c = SchedulerClient.start(detector, new FrameworkInfo(null, name, "test", List.of(role), 60.0, null),
        scheduler);
    frameworks.add(c);
    c.awaitSubscribed(Duration.ofSeconds(30));
    return c;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not " + what + " within 60 s");
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  @Test
  void aGuaranteedRoleGetsItsGuaranteeBackFromARoleThatFilledTheCluster() throws Exception {
    Tasks batch = new Tasks("batch", BATCH_TASK);
    SchedulerClient batchClient = subscribe("batch", "batch", batch);
    await("batch filling the agent", () -> batch.running() == 4);
    // Set once the cluster is full: a guarantee set earlier keeps its headroom free of other roles.
    OperatorClient operator = new OperatorClient(detector);
    operator.setRole("web", 1.0, "cpus:2;mem:256", null);

    Tasks web = new Tasks("web", WEB_TASK);
    SchedulerClient webClient = subscribe("web", "web", web);
    long waitingSince = System.nanoTime();
    webClient.request(List.of(new SchedulerCall.Demand("web-task", "web", WEB_TASK, 1, List.of(), null)));

    await("web's task running", () -> web.running() == 1);
    System.out.printf("web ran %.1f s after it started waiting (grace %d s)%n",
        (System.nanoTime() - waitingSince) / 1e9, GRACE.toSeconds());

    assertEquals(2, batch.terminal.size(), "two 1-cpu batch tasks make room for 2 cpus: " + batch.terminal);
    for (TaskStatus s : batch.terminal) {
      assertEquals(TaskState.KILLED, s.state());
      assertEquals("PREEMPTED", s.reason());
      assertTrue(s.message().contains("role web"), s.message());
    }
    assertEquals(2, batch.running());
    JsonNode state = operator.state();
    for (JsonNode f : state.path("frameworks")) {
      assertEquals(f.path("id").asText().equals(batchClient.frameworkId()) ? 2 : 0, f.path("preempted").asLong(),
          f.toString());
    }
    String metrics = operator.metrics();
    assertTrue(metrics.contains("trellis_preempted_tasks_total{framework=\"" + batchClient.frameworkId()
        + "\",role=\"batch\"} 2.0"), metrics);
    assertTrue(metrics.contains("trellis_preemptions_total{role=\"web\"} 1.0"), metrics);

    // Batch keeps asking; the guarantee is met, so nothing more is taken from it.
    TimeUnit.SECONDS.sleep(2);
    assertEquals(2, batch.terminal.size());
    assertEquals(1, web.running());
  }
}
