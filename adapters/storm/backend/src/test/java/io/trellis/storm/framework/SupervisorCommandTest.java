package io.trellis.storm.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.OfferInfo;
import io.trellis.api.TaskSpec;
import io.trellis.storm.schedule.DedicatedScheduler;
import io.trellis.storm.schedule.WorkerSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupervisorCommandTest {
  private final FrameworkSettings settings = new FrameworkSettings("storm", "storm",
      Map.of("storm.zookeeper.root", "/trellis-storm"), new SupervisorSize(0.1, 256), new WorkerSize(0.5, 512), 2,
      Duration.ofSeconds(60), Duration.ofHours(1), 2.0, "/opt/trellis/storm", "/usr/lib/jvm/17",
      "-Dmark=it's", "storm");
  private final OfferPlanner.Placement placement = new OfferPlanner.Placement(
      new OfferInfo("o1", "fw", "agent-1", "host-1", "storm", "cpus:4;mem:4096;ports:[31000-31010]", Map.of()),
      "wc-1-17", "wc", new WorkerSize(0.5, 512), 2, "cpus:1.1;mem:1280;ports:[31000-31000,31001-31001,31002-31002]",
      31000, List.of(31001L, 31002L));

  @Test
  void theTaskCarriesItsTopologyInLabelsAndTheOffersResources() {
    TaskSpec t = new SupervisorCommand(settings).task("storm-supervisor-1", placement);
    assertEquals("agent-1", t.agentId());
    assertEquals(placement.resources(), t.resources());
    assertEquals(Map.of(SupervisorCommand.LABEL_TOPOLOGY_ID, "wc-1-17", SupervisorCommand.LABEL_TOPOLOGY_NAME, "wc",
        SupervisorCommand.LABEL_SLOTS, "2", SupervisorCommand.LABEL_PORTS, "31001,31002"), t.labels());
    assertEquals("/opt/trellis/storm/*", t.command().environment().get("STORM_EXT_CLASSPATH"));
  }

  @Test
  void theSupervisorUsesTheOffersPortsAndTheSandboxAndNamesItsTaskToNimbus() {
    Map<String, Object> conf = new SupervisorCommand(settings).conf("storm-supervisor-1", placement);
    assertEquals(List.of(31001L, 31002L), conf.get("supervisor.slots.ports"));
    assertEquals(31000L, conf.get("supervisor.thrift.port"));
    assertEquals("host-1", conf.get("storm.local.hostname"));
    assertEquals("storm-local", conf.get("storm.local.dir"), "relative: the sandbox");
    assertEquals(Map.of(DedicatedScheduler.META_TASK, "storm-supervisor-1", DedicatedScheduler.META_TOPOLOGY, "wc-1-17"),
        conf.get("supervisor.scheduler.meta"));
    assertEquals("/trellis-storm", conf.get("storm.zookeeper.root"));
    assertTrue(conf.get("worker.childopts").toString().startsWith("-Xmx384m "), conf.get("worker.childopts").toString());
  }

  @Test
  void theShellCommandQuotesEveryWord() {
    String sh = new SupervisorCommand(settings).shell("storm-supervisor-1", placement);
    assertTrue(sh.startsWith("exec '/usr/lib/jvm/17/bin/java' '-Xmx192m'"), sh);
    assertTrue(sh.contains("'-Dmark=it'\\''s'"), sh);
    assertTrue(sh.contains("'-cp' '/opt/trellis/storm/*' '" + SupervisorCommand.MAIN + "'"), sh);
  }

  @Test
  void theClassArchiveAsItIsAtLaunchGoesToTheSupervisorAndItsWorkers() {
    List<String> archive = new java.util.ArrayList<>();
    SupervisorCommand command = new SupervisorCommand(settings, () -> List.copyOf(archive));
    assertTrue(!command.shell("storm-supervisor-1", placement).contains("SharedArchiveFile"), "none made yet");
    archive.addAll(List.of("-XX:SharedArchiveFile=/cds/storm-1.jsa", "-Xlog:cds=off"));
    String sh = command.shell("storm-supervisor-2", placement);
    assertTrue(sh.contains("'-XX:SharedArchiveFile=/cds/storm-1.jsa' '-Xlog:cds=off'"), sh);
    String childopts = command.conf("storm-supervisor-2", placement).get("worker.childopts").toString();
    assertTrue(childopts.startsWith("-XX:SharedArchiveFile=/cds/storm-1.jsa -Xlog:cds=off -Xmx384m "), childopts);
  }
}
