package io.trellis.docker;

import static io.trellis.docker.DockerFixture.await;
import static io.trellis.docker.DockerFixture.docker;
import static io.trellis.docker.DockerFixture.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.trellis.agent.containerizer.Container;
import io.trellis.agent.containerizer.ContainerException;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.agent.containerizer.Termination;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The containerizer against the real Docker daemon and the local busybox image. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerContainerizerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private DockerFixture docker;
  private DockerContainerizer containerizer;

  @BeforeAll
  void start() throws Exception {
    docker = new DockerFixture();
    containerizer = docker.containerizer(Map.of());
  }

  @AfterAll
  void stop() {
    if (containerizer != null) {
      containerizer.close();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private static Termination end(Container c) throws Exception {
    return c.termination().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void supportsOnlyDockerTasks() throws Exception {
    assertTrue(containerizer.supports(docker.shell("supported", "cpus:0.1;mem:32", "true")));
    LaunchRequest plain = docker.request("plain", "cpus:0.1;mem:32", CommandSpec.shell("true"),
        null);
    assertFalse(containerizer.supports(plain));
    LaunchRequest mesos = docker.request("mesos", "cpus:0.1;mem:32", CommandSpec.shell("true"),
        new ContainerSpec("MESOS", null, null, null, null, null, null, null));
    assertFalse(containerizer.supports(mesos));
  }

  @Test
  void environmentAndLabelsAreVisibleInTheContainer() throws Exception {
    LaunchRequest request = docker.request("env-task", "cpus:0.1;mem:32",
        new CommandSpec("echo id=$TRELLIS_TASK_ID host=$HOST color=$COLOR"
            + " sandbox=$TRELLIS_SANDBOX; sleep 300", true, List.of(),
            Map.of("COLOR", "green"), null), docker(null, null));
    Container c = containerizer.launch(request);
    await("the task's output", WAIT, () -> read(request.sandbox().resolve("stdout"))
        .contains("color=green"));
    assertEquals("id=env-task host=127.0.0.1 color=green sandbox=/mnt/trellis/sandbox\n",
        read(request.sandbox().resolve("stdout")));
    InspectContainerResponse inspect = docker.inspect(request).orElseThrow();
    Map<String, String> labels = inspect.getConfig().getLabels();
    assertEquals("env-task", labels.get("trellis.task-id"));
    assertEquals(DockerFixture.FRAMEWORK, labels.get("trellis.framework-id"));
    assertEquals(docker.agentId, labels.get("trellis.agent-id"));
    assertEquals("tests", labels.get("team"));
    assertTrue(Arrays.asList(inspect.getConfig().getEnv()).contains("COLOR=green"));
    assertTrue(inspect.getName().contains("env-task"), inspect.getName());
    c.kill(Duration.ofSeconds(1));
    assertTrue(end(c).killed());
  }

  @Test
  void stdoutAndStderrLandInTheSandboxFiles() throws Exception {
    LaunchRequest request = docker.shell("output", "cpus:0.1;mem:32",
        "echo to stdout; echo to stderr >&2; echo again");
    Termination t = end(containerizer.launch(request));
    assertEquals(0, t.exitCode());
    assertFalse(t.killed());
    assertEquals("to stdout\nagain\n", read(request.sandbox().resolve("stdout")));
    assertEquals("to stderr\n", read(request.sandbox().resolve("stderr")));
    assertTrue(docker.inspect(request).isEmpty(), "the ended container is removed");
  }

  @Test
  void everyLineOfAChattyTaskIsCopiedInOrder() throws Exception {
    LaunchRequest request = docker.shell("chatty", "cpus:0.1;mem:32",
        "seq 1 5000; head -c 40000 /dev/zero | tr '\\0' a; echo; seq 1 100 >&2");
    assertEquals(0, end(containerizer.launch(request)).exitCode());
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= 5000; i++) {
      expected.append(i).append('\n');
    }
    expected.append("a".repeat(40_000)).append('\n');
    assertEquals(expected.toString(), read(request.sandbox().resolve("stdout")));
    assertEquals(100, read(request.sandbox().resolve("stderr")).lines().count());
  }

  @Test
  void aCommandWithoutShellGivesArgumentsToTheImage() throws Exception {
    LaunchRequest request = docker.request("args", "cpus:0.1;mem:32",
        new CommandSpec("echo", false, List.of("one two", "$HOME"), Map.of(), null),
        docker(null, null));
    assertEquals(0, end(containerizer.launch(request)).exitCode());
    assertEquals("one two $HOME\n", read(request.sandbox().resolve("stdout")));
  }

  @Test
  void aNonZeroExitIsTheTerminationsExitCode() throws Exception {
    Termination t = end(containerizer.launch(docker.shell("exit7", "cpus:0.1;mem:32",
        "echo failing; exit 7")));
    assertEquals(7, t.exitCode());
    assertFalse(t.killed());
    assertEquals("exited with status 7", t.message());
  }

  @Test
  void aBridgeContainerServesHttpOnTheHostPortOfItsOffer() throws Exception {
    int port = DockerFixture.freePort();
    LaunchRequest request = docker.request("web-bridge", "cpus:0.1;mem:32;ports:[" + port + "-"
        + port + "]", CommandSpec.shell("mkdir -p /www && echo hello from $HOST:$PORT0"
            + " > /www/index.html && exec httpd -f -p 8080 -h /www"),
        docker("BRIDGE", List.of(Map.of("containerPort", 8080, "hostPort", 0, "protocol", "tcp",
            "name", "http"))));
    Container c = containerizer.launch(request);
    String body = DockerFixture.httpGet("http://127.0.0.1:" + port + "/", WAIT);
    assertEquals("hello from 127.0.0.1:" + port + "\n", body);
    InspectContainerResponse inspect = docker.inspect(request).orElseThrow();
    assertEquals("bridge", inspect.getHostConfig().getNetworkMode());
    c.kill(Duration.ofSeconds(2));
    Termination t = end(c);
    assertTrue(t.killed());
    assertTrue(docker.inspect(request).isEmpty(), "the killed container is removed");
  }

  @Test
  void aHostNetworkContainerUsesTheTasksPortsDirectly() throws Exception {
    int port = DockerFixture.freePort();
    LaunchRequest request = docker.request("web-host", "cpus:0.1;mem:32;ports:[" + port + "-"
        + port + "]", CommandSpec.shell("mkdir -p /www && echo host network > /www/index.html"
            + " && exec httpd -f -p 127.0.0.1:$PORT0 -h /www"), docker("HOST", null));
    Container c = containerizer.launch(request);
    assertEquals("host network\n", DockerFixture.httpGet("http://127.0.0.1:" + port + "/", WAIT));
    assertEquals("host", docker.inspect(request).orElseThrow().getHostConfig().getNetworkMode());
    c.kill(Duration.ofSeconds(2));
    assertTrue(end(c).killed());
  }

  @Test
  void killSendsTermToAContainerThatHandlesIt() throws Exception {
    LaunchRequest request = docker.shell("trapper", "cpus:0.1;mem:32",
        "trap 'echo got TERM; exit 3' TERM; echo ready; while true; do sleep 0.1; done");
    Container c = containerizer.launch(request);
    await("the task to be ready", WAIT, () -> read(request.sandbox().resolve("stdout"))
        .contains("ready"));
    c.kill(Duration.ofSeconds(30));
    Termination t = end(c);
    assertTrue(t.killed());
    assertEquals(3, t.exitCode());
    assertEquals("killed by the agent (SIGTERM)", t.message());
    assertEquals("ready\ngot TERM\n", read(request.sandbox().resolve("stdout")));
  }

  @Test
  void killForcesAContainerThatIgnoresTermAfterTheGracePeriod() throws Exception {
    LaunchRequest request = docker.shell("stubborn", "cpus:0.1;mem:32",
        "trap '' TERM; echo ready; while true; do sleep 0.1; done");
    Container c = containerizer.launch(request);
    await("the task to be ready", WAIT, () -> read(request.sandbox().resolve("stdout"))
        .contains("ready"));
    c.kill(Duration.ofSeconds(1));
    Termination t = end(c);
    assertTrue(t.killed());
    assertEquals(137, t.exitCode());
    assertEquals("killed by the agent (SIGKILL after a grace period of 1 s)", t.message());
  }

  @Test
  void cpuAndMemoryLimitsAreSetOnTheContainer() throws Exception {
    LaunchRequest request = docker.shell("limits", "cpus:0.5;mem:64", "sleep 300");
    Container c = containerizer.launch(request);
    var host = docker.inspect(request).orElseThrow().getHostConfig();
    assertEquals(512, host.getCpuShares());
    assertEquals(100_000L, host.getCpuPeriod());
    assertEquals(50_000L, host.getCpuQuota());
    assertEquals(64L << 20, host.getMemory());
    assertEquals(64L << 20, host.getMemorySwap());
    c.kill(Duration.ZERO);
    assertTrue(end(c).killed());
  }

  @Test
  void aContainerOverItsMemoryLimitEndsOutOfMemory() throws Exception {
    Termination t = end(containerizer.launch(docker.shell("oom", "cpus:0.1;mem:16",
        "x=$(head -c 100m /dev/zero | tr '\\0' a); echo ${#x}")));
    assertFalse(t.killed());
    assertEquals(137, t.exitCode());
    assertEquals("killed by the kernel: out of memory (limit of 16 MB)", t.message());
  }

  @Test
  void privilegedContainersAreRefusedUnlessTheAgentAllowsThem() throws Exception {
    ContainerSpec privileged = new ContainerSpec("DOCKER", DockerFixture.IMAGE, null, false, true,
        null, null, null);
    LaunchRequest request = docker.request("privileged", "cpus:0.1;mem:32",
        CommandSpec.shell("sleep 300"), privileged);
    ContainerException refused = assertThrows(ContainerException.class,
        () -> containerizer.launch(request));
    assertTrue(refused.getMessage().contains("container.privileged is refused")
        && refused.getMessage().contains("docker.allow-privileged=true"), refused.getMessage());
    assertTrue(docker.inspect(request).isEmpty());

    // Allowed, the daemon creates the container privileged. (Starting it needs a host where the
    // agent holds every capability, which a containerized build host may not.)
    DockerSettings allowing = DockerSettings.from(Map.of("docker.allow-privileged", "true"));
    ContainerPlan plan = ContainerPlan.of(request, allowing, docker.agentId, docker.workDir);
    String id = docker.daemon.create(plan);
    try {
      assertTrue(docker.daemon.client().inspectContainerCmd(id).exec().getHostConfig()
          .getPrivileged());
    } finally {
      docker.daemon.client().removeContainerCmd(id).withForce(true).exec();
    }
  }

  @Test
  void hostVolumesAndTheDockerSocketAreRefusedUnlessTheAgentAllowsThem() throws Exception {
    ContainerSpec volumes = new ContainerSpec("DOCKER", DockerFixture.IMAGE, null, false, false,
        null, List.of(Map.of("containerPath", "/host-etc", "hostPath", "/etc", "mode", "RO"),
            Map.of("containerPath", "/var/run/docker.sock", "hostPath",
                "/var/run/docker.sock")), null);
    LaunchRequest request = docker.request("volumes", "cpus:0.1;mem:32",
        CommandSpec.shell("cat /host-etc/hostname"), volumes);
    ContainerException refused = assertThrows(ContainerException.class,
        () -> containerizer.launch(request));
    assertTrue(refused.getMessage().contains("container.volumes[0].hostPath '/etc'")
        && refused.getMessage().contains("container.volumes[1].hostPath '/var/run/docker.sock'"
            + " mounts the Docker socket")
        && refused.getMessage().contains("docker.allow-host-volumes=true"), refused.getMessage());

    try (DockerContainerizer allowing = docker.containerizer(
        Map.of("docker.allow-host-volumes", "true"))) {
      Termination t = end(allowing.launch(request));
      assertEquals(0, t.exitCode(), t.message());
      assertEquals(read(java.nio.file.Path.of("/etc/hostname")),
          read(request.sandbox().resolve("stdout")));
    }
  }

  @Test
  void aSandboxVolumeIsAllowedAndSharedWithTheSandbox() throws Exception {
    ContainerSpec volumes = new ContainerSpec("DOCKER", DockerFixture.IMAGE, null, false, false,
        null, List.of(Map.of("containerPath", "/data", "hostPath", "data")), null);
    LaunchRequest request = docker.request("sandbox-volume", "cpus:0.1;mem:32",
        CommandSpec.shell("echo kept > /data/file"), volumes);
    java.nio.file.Files.createDirectories(request.sandbox().resolve("data"));
    assertEquals(0, end(containerizer.launch(request)).exitCode());
    assertEquals("kept\n", read(request.sandbox().resolve("data/file")));
  }

  @Test
  void aMissingImageThatCannotBePulledFailsTheLaunchNamingTheImage() throws Exception {
    LaunchRequest request = docker.request("no-image", "cpus:0.1;mem:32",
        CommandSpec.shell("true"), new ContainerSpec("DOCKER", "trellis/no-such-image:1", null,
            false, false, null, null, null));
    ContainerException e = assertThrows(ContainerException.class,
        () -> containerizer.launch(request));
    assertTrue(e.getMessage().startsWith("cannot pull image trellis/no-such-image:1, and it is"
        + " not on this agent"), e.getMessage());
  }

  @Test
  void forcePullFailsClearlyWhenTheRegistryIsUnreachable() throws Exception {
    LaunchRequest request = docker.request("force-pull", "cpus:0.1;mem:32",
        CommandSpec.shell("true"), new ContainerSpec("DOCKER", DockerFixture.IMAGE, null,
            true, false, null, null, null));
    ContainerException e = assertThrows(ContainerException.class,
        () -> containerizer.launch(request));
    assertTrue(e.getMessage().startsWith("cannot pull image " + DockerFixture.IMAGE
        + ", and the task asks to pull it (forcePullImage)"), e.getMessage());
    assertTrue(e.getMessage().contains("registry is reachable"), e.getMessage());
  }

  @Test
  void anUnreachableDaemonFailsTheLaunchWithAClearMessage() throws Exception {
    String host = "unix://" + docker.workDir.resolve("no-docker.sock");
    try (DockerContainerizer away = docker.containerizer(Map.of("docker.host", host))) {
      LaunchRequest request = docker.shell("no-daemon", "cpus:0.1;mem:32", "true");
      assertTrue(away.supports(request));
      ContainerException e = assertThrows(ContainerException.class, () -> away.launch(request));
      assertTrue(e.getMessage().startsWith("cannot reach the Docker daemon at " + host
          + ": is dockerd running?"), e.getMessage());
    }
  }

  @Test
  void invalidPortMappingsAreRefusedNamingEachField() throws Exception {
    int port = DockerFixture.freePort();
    LaunchRequest request = docker.request("bad-ports", "cpus:0.1;mem:32;ports:[" + port + "-"
        + port + "]", CommandSpec.shell("true"), docker("BRIDGE", List.of(
            Map.of("containerPort", 80, "hostPort", 1), Map.of("containerPort", 81,
                "protocol", "sctp"))));
    ContainerException e = assertThrows(ContainerException.class,
        () -> containerizer.launch(request));
    assertTrue(e.getMessage().contains("container.portMappings[0].hostPort 1 is not among the"
        + " task's ports [" + port + "]"), e.getMessage());
    assertTrue(e.getMessage().contains("container.portMappings[1].protocol must be tcp, udp or"
        + " tcp,udp, not 'sctp'"), e.getMessage());
  }
}
