package io.trellis.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.api.CommandSpec;
import io.trellis.api.FrameworkInfo;
import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * {@code trellis spark status|kill} against a real master and agent, on a driver task left
 * running by a submission framework that has gone away (as a cluster-mode submission leaves it),
 * and the refusals of {@code submit}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCommandTest {
  private TestingServer zk;
  private MasterProcess master;
  private AgentProcess agent;
  private MasterDetector detector;

  @BeforeAll
  void start() throws Exception {
    zk = new TestingServer(true);
    String zkSpec = "zk://" + zk.getConnectString() + "/trellis";
    master = MasterProcess.withZooKeeper(MasterConfig.defaults().withPort(0), zkSpec);
    Path work = Files.createTempDirectory("trellis-spark-cli-test-");
    agent = AgentProcess.start(AgentConfig.of(zkSpec, work).withPort(0).withResources("cpus:2;mem:1024"),
        Resources.parse("cpus:2;mem:1024"), Attributes.NONE, MasterDetectors.from(zkSpec));
    detector = MasterDetectors.from(master.endpoint());
  }

  @AfterAll
  void stop() throws Exception {
    detector.close();
    agent.close();
    master.close();
    zk.close();
  }

  private record Run(int status, String out, String err) {}

  private Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = new CommandLine(new SparkCommand()).execute(args);
      return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Launches a driver-like task the way a cluster-mode submission does, then leaves. */
  private String leaveDriverRunning(String driverId) throws Exception {
    CompletableFuture<TaskStatus> running = new CompletableFuture<>();
    SchedulerClient client = SchedulerClient.start(detector,
        new FrameworkInfo(null, "spark-submit test", "test", List.of("spark"), 3600.0, null), new Scheduler() {
          private boolean launched;

          @Override
          public void offers(SchedulerClient c, List<OfferInfo> offers) {
            for (OfferInfo o : offers) {
              if (!launched) {
                launched = true;
                c.accept(List.of(o.id()), List.of(new TaskSpec(driverId, "spark driver of test", o.agentId(),
                    "cpus:0.5;mem:64", CommandSpec.shell("echo driver says hello; exec sleep 600"), Map.of(), 1.0, null)), 60.0);
              } else {
                c.decline(List.of(o.id()), 60.0);
              }
            }
          }

          @Override
          public void update(SchedulerClient c, TaskStatus status) {
            if (status.state() == io.trellis.api.TaskState.RUNNING) {
              running.complete(status);
            }
          }
        });
    client.awaitSubscribed(Duration.ofSeconds(30));
    running.get(30, TimeUnit.SECONDS);
    client.close();
    return driverId;
  }

  @Test
  void statusShowsTheDriverAndItsOutputAndKillEndsIt() throws Exception {
    String id = leaveDriverRunning("driver-20260101000000-abcd");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Run status;
    do {
      status = run("status", "--master", "trellis://" + master.endpoint(), id);
      TimeUnit.MILLISECONDS.sleep(200);
    } while (!status.out().contains("driver says hello") && System.nanoTime() < deadline);
    assertEquals(0, status.status(), status.err());
    assertTrue(status.out().startsWith("driver " + id + " RUNNING"), status.out());
    assertTrue(status.out().contains("driver says hello"), "the end of the driver's stdout: " + status.out());

    Run kill = run("kill", "--master", master.endpoint(), id);
    assertEquals(0, kill.status(), kill.err());
    assertTrue(kill.out().contains("driver " + id + " KILLED"), kill.out());
    String after = new OperatorClient(detector).state().path("tasks").toString();
    assertTrue(after.contains("\"id\":\"" + id + "\"") ? after.contains("KILLED") : true, after);

    Run again = run("kill", "--master", master.endpoint(), id);
    assertEquals(0, again.status());
  }

  @Test
  void unknownDriversAreNamed() {
    Run status = run("status", "--master", master.endpoint(), "driver-nope");
    assertEquals(1, status.status());
    assertEquals("trellis spark status: no driver 'driver-nope' in the cluster's state\n", status.err());
    Run kill = run("kill", "--master", master.endpoint(), "driver-nope");
    assertEquals(1, kill.status());
    assertTrue(kill.err().contains("no driver 'driver-nope'"), kill.err());
  }

  @Test
  void submitRefusesAMissingJarAndABadDeployMode() {
    Run missing = run("submit", "--master", "trellis://" + master.endpoint(), "--class", "x.Main", "/no/such/app.jar");
    assertEquals(2, missing.status());
    assertEquals("trellis spark submit: application jar /no/such/app.jar is not a readable file\n", missing.err());
    Run mode = run("submit", "--deploy-mode", "remote", "--class", "x.Main", "/no/such/app.jar");
    assertEquals(2, mode.status());
    assertTrue(mode.err().contains("--deploy-mode must be client or cluster, not 'remote'"), mode.err());
  }

  @Test
  void submitForwardsSparkSubmitOptionsToTheAdapter() {
    SubmitCommand submit = new SubmitCommand();
    new CommandLine(submit).parseArgs("--master", "127.0.0.1:5050", "--class", "x.Main", "--total-executor-cores", "4",
        "--conf", "spark.trellis.role=batch", "--deploy-mode", "cluster", "/tmp/app.jar", "10");
    assertEquals(List.of("--master", "trellis://127.0.0.1:5050", "--deploy-mode", "cluster", "--class", "x.Main",
        "--total-executor-cores", "4", "--conf", "spark.trellis.role=batch", "/tmp/app.jar", "10"), submit.submitArgs());
  }
}
