package io.trellis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.AgentConfig;
import io.trellis.agent.AgentProcess;
import io.trellis.client.discovery.FixedMasterDetector;
import io.trellis.core.resource.Attributes;
import io.trellis.core.resource.Resources;
import io.trellis.master.MasterConfig;
import io.trellis.master.MasterProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** The README's walkthrough as a test: {@code trellis run} and {@code trellis state} against a real master and agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandsTest {
  private MasterProcess master;
  private AgentProcess agent;
  private Path agentWork;

  @BeforeAll
  void start() throws Exception {
    master = MasterProcess.standalone(MasterConfig.defaults().withPort(0));
    Path work = Files.createTempDirectory("trellis-commands-test-");
    agentWork = work;
    agent = AgentProcess.start(AgentConfig.of(master.endpoint(), work).withPort(0),
        Resources.parse("cpus:2;mem:1024;disk:100;ports:[31000-31010]"), Attributes.NONE,
        new FixedMasterDetector(master.endpoint()));
  }

  @AfterAll
  void stop() {
    agent.close();
    master.close();
  }

  /** Runs the command with stdout captured; returns the exit code and the output. */
  private Result trellis(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Trellis()).execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private record Result(int code, String out) {}

  @Test
  void runPrintsTheOutputAndExitsWithTheTasksExitCode() {
    Result hello = trellis("run", "--master", master.endpoint(), "--", "echo", "hello");
    assertEquals(0, hello.code());
    assertEquals("hello\n", hello.out());

    Result failing = trellis("run", "--master", master.endpoint(), "--cpus", "0.5", "--mem", "64", "--shell", "--",
        "echo working; exit 3");
    assertEquals(3, failing.code());
    assertEquals("working\n", failing.out());
  }

  @Test
  void stateShowsTheAgentAndFinishedTasks() {
    assertEquals(0, trellis("run", "--master", master.endpoint(), "--name", "for-state", "--", "true").code());

    Result state = trellis("state", "--master", master.endpoint());

    assertEquals(0, state.code());
    assertTrue(state.out().contains("AGENTS (1)"), state.out());
    assertTrue(state.out().contains(agent.endpoint()), state.out());
    assertTrue(state.out().contains("FINISHED   exit 0"), state.out());
  }

  @Test
  void stateShowsAWaitingGangAndWhatBlocksIt() throws Exception {
    java.util.concurrent.CountDownLatch offered = new java.util.concurrent.CountDownLatch(1);
    // The framework keeps its ordinary offers unanswered, so its gang cannot fit until it lets go.
    io.trellis.client.Scheduler keeper = new io.trellis.client.Scheduler() {
      @Override
      public void offers(io.trellis.client.SchedulerClient c, java.util.List<io.trellis.api.OfferInfo> offers) {
        offered.countDown();
      }
    };
    io.trellis.client.SchedulerClient client = io.trellis.client.SchedulerClient.start(
        new FixedMasterDetector(master.endpoint()),
        new io.trellis.api.FrameworkInfo(null, "gang-cli", "test", java.util.List.of("g"), 0.0, null), keeper);
    try {
      client.awaitSubscribed(java.time.Duration.ofSeconds(20));
      assertTrue(offered.await(20, java.util.concurrent.TimeUnit.SECONDS), "no offer");
      client.request(java.util.List.of(new io.trellis.api.SchedulerCall.Demand("pair", "g", "cpus:1;mem:256", 2,
          null, new io.trellis.api.SchedulerCall.Gang(2, null, null))));

      Result state = trellis("state", "--master", master.endpoint());

      assertEquals(0, state.code());
      assertTrue(state.out().contains("GANGS"), state.out());
      assertTrue(state.out().contains("pair") && state.out().contains("WAITING") && state.out().contains("gang-cli"),
          state.out());
      assertTrue(state.out().contains("0 of 2 members fit now (minMember 2)"), state.out());
    } finally {
      client.teardown();
    }
  }

  @Test
  void badInputGetsAMessageAndANonZeroExit() {
    assertEquals(2, trellis("run", "--master", master.endpoint(), "--cpus", "0", "--", "true").code());
    assertTrue(trellis("state", "--master", "not a spec").code() != 0);
    assertTrue(trellis("run").code() != 0, "a command is required");
    assertEquals(2, trellis("agent", "--master", master.endpoint(), "--heartbeat-interval", "0").code());
    assertEquals(2, trellis("agent", "--master", master.endpoint(), "--heartbeat-interval", "601").code());
    // Closed by default: no cluster key and no --insecure, no agent or master.
    assertEquals(2, trellis("agent", "--master", master.endpoint(), "--port", "0").code());
    assertEquals(2, trellis("master", "--port", "0").code());
    if ("root".equals(System.getProperty("user.name"))) {
      assertEquals(2, trellis("agent", "--master", master.endpoint(), "--port", "0", "--insecure", "--task-user",
          "no-such-user-x", "--work-dir", agentWork.resolve("ghost-agent").toString()).code(), "no such task user");
    }
  }
}
