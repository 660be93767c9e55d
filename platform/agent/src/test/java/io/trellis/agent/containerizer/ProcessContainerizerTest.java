package io.trellis.agent.containerizer;

import static io.trellis.agent.containerizer.Tasks.await;
import static io.trellis.agent.containerizer.Tasks.containerizer;
import static io.trellis.agent.containerizer.Tasks.executable;
import static io.trellis.agent.containerizer.Tasks.read;
import static io.trellis.agent.containerizer.Tasks.request;
import static io.trellis.agent.containerizer.Tasks.shell;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessContainerizerTest {
  @TempDir Path work;
  @TempDir Path sandbox;
  ProcessContainerizer containerizer;

  @BeforeEach
  void setUp() {
    containerizer = containerizer(work);
  }

  @Test
  void echoLandsInSandboxStdoutAndExitsZero() throws Exception {
    Termination end = await(containerizer.launch(shell("echo hello", sandbox)));

    assertEquals(new Termination(0, false, "exited with status 0"), end);
    assertEquals("hello\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void nonZeroExitStatusIsReportedExactly() throws Exception {
    Termination end = await(containerizer.launch(shell("exit 3", sandbox)));

    assertEquals(new Termination(3, false, "exited with status 3"), end);
  }

  @Test
  void stderrIsCapturedInSandbox() throws Exception {
    await(containerizer.launch(shell("echo oops >&2; echo fine", sandbox)));

    assertEquals("oops\n", read(sandbox.resolve("stderr")));
    assertEquals("fine\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void outputIsAppendedToWhatTheSandboxAlreadyHolds() throws Exception {
    Files.writeString(sandbox.resolve("stdout"), "earlier\n");

    await(containerizer.launch(shell("echo later", sandbox)));

    assertEquals("earlier\nlater\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void workingDirectoryIsTheSandbox() throws Exception {
    await(containerizer.launch(shell("pwd -P", sandbox)));

    assertEquals(sandbox.toRealPath() + "\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void environmentOfRequestAndCommandIsVisibleAndAgentsIsNot() throws Exception {
    CommandSpec command = new CommandSpec(
        "echo $TRELLIS_TASK_ID $PORT0 $GREETING ${HOME-nohome}", true, List.of(),
        Map.of("GREETING", "hi", "PORT0", "31001"), null);
    Map<String, String> env = Map.of("TRELLIS_TASK_ID", "t-42", "PORT0", "31000");

    await(containerizer.launch(request(command, "cpus:0.5;mem:64", sandbox, env)));

    assertEquals("t-42 31001 hi nohome\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void nonShellArgumentsArePassedVerbatim() throws Exception {
    List<String> args = List.of("%s|\\n", "two  words", "it's \"quoted\"", "$HOME", "*", "");

    Termination end = await(containerizer.launch(
        request(executable("printf", args), "cpus:0.5;mem:64", sandbox, Map.of())));

    assertEquals(0, end.exitCode());
    assertEquals("two  words|\nit's \"quoted\"|\n$HOME|\n*|\n|\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void missingExecutableFailsTheLaunchNamingIt() {
    LaunchRequest req = request(executable("no-such-tool-xyz", List.of()), "cpus:0.5;mem:64",
        sandbox, Map.of());

    ContainerException e = assertThrows(ContainerException.class, () -> containerizer.launch(req));

    assertTrue(e.getMessage().contains("'no-such-tool-xyz'"), e.getMessage());
    assertTrue(e.getMessage().contains("PATH"), e.getMessage());
  }

  @Test
  void sandboxThatCannotBeCreatedFailsTheLaunch() throws Exception {
    Path file = Files.writeString(work.resolve("plain-file"), "not a directory");
    Path impossible = file.resolve("sandbox");

    ContainerException e = assertThrows(ContainerException.class,
        () -> containerizer.launch(shell("echo never", impossible)));

    assertTrue(e.getMessage().contains(impossible.toString()), e.getMessage());
  }

  @Test
  void unknownUserFailsTheLaunchNamingTheUser() {
    CommandSpec command = new CommandSpec("id -un", true, List.of(), Map.of(), "no-such-user-xyz");
    LaunchRequest req = request(command, "cpus:0.5;mem:64", sandbox, Map.of());

    ContainerException e = assertThrows(ContainerException.class, () -> containerizer.launch(req));

    assertTrue(e.getMessage().contains("'no-such-user-xyz'"), e.getMessage());
  }

  @Test
  void commandRunsAsItsUserWhenTheAgentIsRoot() throws Exception {
    assertTrue(HostTools.runningAsRoot(), "this test runs where the agent runs: as root");
    CommandSpec command = new CommandSpec("id -un; echo $TRELLIS_TASK_ID", true, List.of(),
        Map.of(), "nobody");

    Termination end = await(containerizer.launch(
        request(command, "cpus:0.5;mem:64", sandbox, Map.of("TRELLIS_TASK_ID", "t-7"))));

    assertEquals(0, end.exitCode(), () -> "stderr: " + sandboxStderr());
    assertEquals("nobody\nt-7\n", read(sandbox.resolve("stdout")));
  }

  @Test
  void supportsPlainProcessesButNotDocker() {
    assertTrue(containerizer.supports(withContainer(null)));
    assertTrue(containerizer.supports(withContainer(container(null))));
    assertTrue(containerizer.supports(withContainer(container("MESOS"))));
    assertTrue(containerizer.supports(withContainer(container("PROCESS"))));
    assertFalse(containerizer.supports(withContainer(container("DOCKER"))));
  }

  @Test
  void serviceLoaderFindsTheProcessContainerizer() {
    boolean found = ServiceLoader.load(Containerizer.class).stream()
        .anyMatch(p -> p.get().name().equals("process"));

    assertTrue(found);
  }

  private String sandboxStderr() {
    try {
      return read(sandbox.resolve("stderr"));
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private LaunchRequest withContainer(ContainerSpec container) {
    TaskSpec task = new TaskSpec("t", "t", "a", "cpus:1", CommandSpec.shell("true"), Map.of(),
        null, container);
    return new LaunchRequest("f", task, Resources.parse("cpus:1"), sandbox, Map.of());
  }

  private static ContainerSpec container(String type) {
    return new ContainerSpec(type, null, null, null, null, null, null, null);
  }
}
