package io.trellis.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.agent.containerizer.ContainerException;
import io.trellis.agent.containerizer.LaunchRequest;
import io.trellis.api.CommandSpec;
import io.trellis.api.ContainerSpec;
import io.trellis.api.TaskSpec;
import io.trellis.core.resource.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a launch request becomes a container, decided without the daemon. */
class ContainerPlanTest {
  private static final Path SANDBOX = Path.of("/work/tasks/fw/t1/sandbox");
  private static final Path WORK_DIR = Path.of("/work");
  private static final DockerSettings DEFAULTS = DockerSettings.from(Map.of());

  private static LaunchRequest request(String resources, CommandSpec command,
      ContainerSpec container) {
    TaskSpec task = new TaskSpec("t1", "t1", "agent-7", resources, command,
        Map.of("trellis.task-id", "spoofed", "app", "web"), null, container);
    return new LaunchRequest("fw", task, Resources.parse(resources), SANDBOX,
        Map.of("TRELLIS_TASK_ID", "t1", "HOST", "127.0.0.1", "PORT0", "31000",
            "TRELLIS_SANDBOX", SANDBOX.toString()));
  }

  private static ContainerSpec docker(String network, List<Map<String, Object>> mappings) {
    return new ContainerSpec("DOCKER", "busybox", network, null, null, mappings, null, null);
  }

  private static ContainerPlan plan(LaunchRequest request) throws ContainerException {
    return ContainerPlan.of(request, DEFAULTS, "agent-from-context", WORK_DIR);
  }

  @Test
  void aShellCommandRunsUnderBinShWhateverTheImagesEntrypoint() throws Exception {
    ContainerPlan p = plan(request("cpus:1;mem:128", CommandSpec.shell("echo $HOST"),
        docker(null, null)));
    assertEquals(List.of("/bin/sh", "-c"), p.entrypoint());
    assertEquals(List.of("echo $HOST"), p.cmd());
  }

  @Test
  void aCommandWithoutShellGivesItsWordsToTheImagesEntrypoint() throws Exception {
    ContainerPlan p = plan(request("cpus:1", new CommandSpec("--port", false, List.of("80"),
        Map.of(), null), docker(null, null)));
    assertNull(p.entrypoint());
    assertEquals(List.of("--port", "80"), p.cmd());
  }

  @Test
  void noCommandKeepsTheImagesDefaults() throws Exception {
    ContainerPlan p = plan(request("cpus:1", null, docker(null, null)));
    assertNull(p.entrypoint());
    assertNull(p.cmd());
  }

  @Test
  void environmentIsTheAgentsPlusTheCommandsWithTheSandboxAsMounted() throws Exception {
    ContainerPlan p = plan(request("cpus:1", new CommandSpec("env", true, List.of(),
        Map.of("COLOR", "blue", "PORT0", "overridden"), "nobody"), docker(null, null)));
    assertEquals("t1", p.env().get("TRELLIS_TASK_ID"));
    assertEquals("blue", p.env().get("COLOR"));
    assertEquals("overridden", p.env().get("PORT0"));
    assertEquals(ContainerPlan.SANDBOX_MOUNT, p.env().get("TRELLIS_SANDBOX"));
    assertEquals(ContainerPlan.SANDBOX_MOUNT, p.env().get("MESOS_SANDBOX"));
    assertEquals("nobody", p.user());
    assertEquals(new Mount(SANDBOX.toString(), ContainerPlan.SANDBOX_MOUNT, false),
        p.mounts().get(0));
  }

  @Test
  void labelsCarryTheTaskAndOurIdsWhichTheTaskCannotOverride() throws Exception {
    ContainerPlan p = plan(request("cpus:1", CommandSpec.shell("true"), docker(null, null)));
    assertEquals("t1", p.labels().get("trellis.task-id"));
    assertEquals("fw", p.labels().get("trellis.framework-id"));
    assertEquals("agent-7", p.labels().get("trellis.agent-id"));
    assertEquals(SANDBOX.toString(), p.labels().get("trellis.sandbox"));
    assertEquals("web", p.labels().get("app"));
  }

  @Test
  void cpusAndMemBecomeSharesQuotaAndAMemoryLimitWithoutSwap() throws Exception {
    ContainerPlan p = plan(request("cpus:0.25;mem:100", CommandSpec.shell("true"),
        docker(null, null)));
    assertEquals(256, p.cpuShares());
    assertEquals(25_000L, p.cpuQuota());
    assertEquals(100L << 20, p.memory());
    ContainerPlan none = plan(request("disk:10", CommandSpec.shell("true"), docker(null, null)));
    assertNull(none.cpuShares());
    assertNull(none.memory());
  }

  @Test
  void theNetworkIsBridgeByDefaultAndCaseDoesNotMatter() throws Exception {
    assertEquals("bridge", plan(request("cpus:1", null, docker(null, null))).network(), "BRIDGE unless asked");
    assertEquals("bridge", plan(request("cpus:1", null, docker("bridge", null))).network());
    assertEquals("none", plan(request("cpus:1", null, docker("NONE", null))).network());
    ContainerException e = assertThrows(ContainerException.class,
        () -> plan(request("cpus:1", null, docker("overlay", null))));
    assertTrue(e.getMessage().contains("container.network must be HOST, BRIDGE or NONE, not"
        + " 'overlay'"), e.getMessage());
  }

  @Test
  void bridgeMappingsTakeTheTasksPortsInOrderAroundFixedOnes() throws Exception {
    List<Map<String, Object>> mappings = List.of(
        Map.of("containerPort", 80),
        Map.of("containerPort", 443, "hostPort", 31000),
        Map.of("containerPort", 0, "hostPort", 0, "protocol", "udp,tcp", "name", "dns"));
    ContainerPlan p = plan(request("cpus:1;ports:[31000-31002]", null,
        docker("BRIDGE", mappings)));
    assertEquals(List.of(
        new PortMapping(31001, 80, List.of("tcp"), null),
        new PortMapping(31000, 443, List.of("tcp"), null),
        new PortMapping(31002, 31002, List.of("udp", "tcp"), "dns")), p.ports());
    assertEquals("127.0.0.1", p.bindAddress());
  }

  @Test
  void hostNetworkingUsesTheTasksPortsWithoutMappings() throws Exception {
    ContainerPlan p = plan(request("cpus:1;ports:[31000-31000]", null,
        docker("HOST", List.of(Map.of("containerPort", 80)))));
    assertEquals(List.of(), p.ports());
  }

  @Test
  void everyInvalidMappingIsNamedByItsPath() {
    List<Map<String, Object>> mappings = new ArrayList<>();
    mappings.add(Map.of("containerPort", 80, "hostPort", 32000));
    mappings.add(Map.of("containerPort", "http"));
    mappings.add(Map.of("containerPort", 81));
    mappings.add(Map.of("containerPort", 82));
    ContainerException e = assertThrows(ContainerException.class,
        () -> plan(request("cpus:1;ports:[31000-31000]", null, docker("BRIDGE", mappings))));
    String m = e.getMessage();
    assertTrue(m.contains("container.portMappings[0].hostPort 32000 is not among the task's"
        + " ports [31000]"), m);
    assertTrue(m.contains("container.portMappings[1].containerPort must be a port number, not"
        + " 'http'"), m);
    assertTrue(m.contains("container.portMappings[3].hostPort: the task has 1 port(s) [31000],"
        + " too few for 4 port mappings"), m);
  }

  @Test
  void mappingsWithoutBridgeNetworkingAreRefusedForNone() {
    ContainerException e = assertThrows(ContainerException.class,
        () -> plan(request("cpus:1;ports:[31000-31000]", null,
            docker("NONE", List.of(Map.of("containerPort", 80))))));
    assertTrue(e.getMessage().contains("container.portMappings need BRIDGE networking"));
  }

  @Test
  void aMissingImageAndUnknownParametersAreNamed() {
    ContainerSpec spec = new ContainerSpec("DOCKER", " ", null, null, null, null, null,
        Map.of("cap-add", "ALL"));
    ContainerException e = assertThrows(ContainerException.class,
        () -> plan(request("cpus:1", null, spec)));
    assertTrue(e.getMessage().contains("container.image is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("container.parameters.cap-add is not supported"),
        e.getMessage());
  }

  @Test
  void relativeHostPathsMountSandboxDirectoriesAndMayNotLeaveIt() throws Exception {
    ContainerSpec spec = new ContainerSpec("DOCKER", "busybox", null, null, null, null,
        List.of(Map.of("containerPath", "/data", "hostPath", "data", "mode", "ro"),
            Map.of("containerPath", "/cache")), null);
    ContainerPlan p = plan(request("cpus:1", null, spec));
    assertEquals(new Mount(SANDBOX.resolve("data").toString(), "/data", true), p.mounts().get(1));
    assertEquals(new Mount(null, "/cache", false), p.mounts().get(2));

    ContainerSpec escaping = new ContainerSpec("DOCKER", "busybox", null, null, null, null,
        List.of(Map.of("containerPath", "/x", "hostPath", "../../other")), null);
    ContainerException e = assertThrows(ContainerException.class,
        () -> plan(request("cpus:1", null, escaping)));
    assertTrue(e.getMessage().contains("container.volumes[0].hostPath '../../other' leaves the"
        + " sandbox"), e.getMessage());
  }

  @Test
  void hostVolumesArePlannedWhenTheAgentAllowsThem() throws Exception {
    ContainerSpec spec = new ContainerSpec("DOCKER", "busybox", null, null, true, null,
        List.of(Map.of("containerPath", "/var/run/docker.sock",
            "hostPath", "/var/run/docker.sock")), null);
    DockerSettings open = DockerSettings.from(Map.of("docker.allow-host-volumes", "true",
        "docker.allow-privileged", "yes"));
    ContainerPlan p = ContainerPlan.of(request("cpus:1", null, spec), open, "a", WORK_DIR);
    assertTrue(p.privileged());
    assertEquals("/var/run/docker.sock", p.mounts().get(1).hostPath());
  }

  @Test
  void containerNamesComeFromTheTaskIdAndDifferPerFramework() {
    String a = ContainerPlan.name("fw1", "web.1/2 b");
    assertTrue(a.matches("trellis-web\\.1_2_b-[0-9a-f]{8}"), a);
    assertFalse(a.equals(ContainerPlan.name("fw2", "web.1/2 b")));
    assertEquals(a, ContainerPlan.name("fw1", "web.1/2 b"));
  }

  @Test
  void portsBindToTheAgentsAddressWhenItIsAnIpAddress() {
    assertEquals("127.0.0.1", ContainerPlan.bindAddress("127.0.0.1"));
    assertEquals("0.0.0.0", ContainerPlan.bindAddress("agent1.example.com"));
    assertEquals("0.0.0.0", ContainerPlan.bindAddress(null));
  }

  @Test
  void settingsThatAreNotBooleansAreErrorsNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DockerSettings.from(Map.of("docker.allow-privileged", "maybe")));
    assertEquals("the setting docker.allow-privileged must be true or false, not 'maybe'",
        e.getMessage());
    IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
        () -> DockerSettings.from(Map.of("docker.host", "ssh://box")));
    assertTrue(host.getMessage().startsWith("unsupported docker.host 'ssh://box'"));
    DockerSettings d = DockerSettings.from(Map.of());
    assertEquals("unix:///var/run/docker.sock", d.host());
    assertFalse(d.allowPrivileged());
    assertFalse(d.allowHostVolumes());
    assertTrue(d.init());
  }
}
