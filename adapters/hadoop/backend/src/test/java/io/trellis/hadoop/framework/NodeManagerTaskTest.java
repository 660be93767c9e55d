package io.trellis.hadoop.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.TaskSpec;
import io.trellis.hadoop.profile.Profile;
import io.trellis.hadoop.profile.Profiles;
import io.trellis.hadoop.yarn.RmAddresses;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeManagerTaskTest {
  final Profile small = Profiles.parse(Profiles.DEFAULTS, 512).require("small");

  @Test
  void anOfferWithTheProfilesCpusMemAndFourPortsFitsWithItsFirstPorts() {
    NodeManagerTask.Fit fit = NodeManagerTask.fit("cpus:2;mem:4096;ports:[31000-31001,31005-31010]", small);
    assertTrue(fit.fits());
    assertEquals(List.of(31000, 31001, 31005, 31006), fit.ports());
  }

  @Test
  void anOfferTooSmallOrWithoutPortsSaysWhy() {
    NodeManagerTask.Fit mem = NodeManagerTask.fit("cpus:2;mem:1000;ports:[31000-31010]", small);
    assertFalse(mem.fits());
    assertTrue(mem.refusal().contains("is smaller than profile small (cpus:1.0;mem:1536, 4 ports"), mem.refusal());
    NodeManagerTask.Fit ports = NodeManagerTask.fit("cpus:2;mem:4096;ports:[31000-31002]", small);
    assertEquals("the last offer has 3 ports; a NodeManager needs 4", ports.refusal());
  }

  @Test
  void theTaskRunsTheNodeManagerWithItsPortsSandboxDirsAndLabels() {
    NodeManagerTask t = new NodeManagerTask("c1", new RmAddresses("127.0.0.1", 1, 2, 3, 4, 5), "file:///",
        Path.of("/opt/hadoop-lib"), "/usr/lib/jvm/x/bin/java", List.of("--add-opens=a/b=ALL-UNNAMED"), "-Dmark=1");
    TaskSpec spec = t.task("nm-1", "agent-1", "127.0.0.1", small, List.of(31000, 31001, 31002, 31003));
    assertEquals("cpus:1.0;mem:1536;ports:[31000-31000,31001-31001,31002-31002,31003-31003]", spec.resources());
    assertTrue(spec.labels().get(NodeManagerTask.LABEL_NODE_ID).endsWith(":31000"), spec.labels().toString());
    assertEquals("small", spec.labels().get(NodeManagerTask.LABEL_PROFILE));
    assertEquals("31000,31001,31002,31003", spec.labels().get(NodeManagerTask.LABEL_PORTS));
    assertEquals("/usr/lib/jvm/x", spec.command().environment().get("JAVA_HOME"));
    String sh = spec.command().value();
    assertTrue(sh.startsWith("exec '/usr/lib/jvm/x/bin/java' -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 '--add-opens=a/b=ALL-UNNAMED' -Dmark=1 -cp '/opt/hadoop-lib/*' "
        + NodeManagerTask.MAIN), sh);
    for (String setting : List.of("'yarn.nodemanager.address=127.0.0.1:31000'", "'mapreduce.shuffle.port=31003'",
        "'yarn.nodemanager.resource.memory-mb=1024'", "'yarn.resourcemanager.resource-tracker.address=127.0.0.1:3'")) {
      assertTrue(sh.contains(setting), setting + " in " + sh);
    }
  }
}
