package io.trellis.storm.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.core.resource.Resources;
import io.trellis.storm.schedule.StormView;
import io.trellis.storm.schedule.WorkerSize;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaitingReasonsTest {
  private final OfferPlanner planner = new OfferPlanner(new SupervisorSize(0.1, 256), 1);
  private final List<Resources> agents = List.of(Resources.parse("cpus:2;mem:2048;ports:[31000-31100]"),
      Resources.parse("cpus:4;mem:3072;ports:[31000-31100]"));

  @Test
  void aWorkerLargerThanEveryAgentCannotRunAndTheReasonNamesTheSizes() {
    WorkerSize huge = new WorkerSize(0.5, 65536);
    Map<String, String> reasons = WaitingReasons.of(List.of(new StormView.Topology("big-1", "big", 1, 0, huge, null)),
        List.of(new OfferPlanner.Need("big-1", "big", 1, huge)), planner, agents, List.of());
    String r = reasons.get("big-1");
    assertTrue(r.startsWith(WaitingReasons.CANNOT_RUN), r);
    assertTrue(r.contains("mem:65792") && r.contains("topology.trellis.worker.mem.mb=65536")
        && r.contains("mem:3072"), r);
  }

  @Test
  void aTopologyThatFitsWaitsWithTheAllocatorsReasons() {
    WorkerSize small = new WorkerSize(0.5, 512);
    Map<String, String> reasons = WaitingReasons.of(List.of(new StormView.Topology("t-1", "t", 2, 0, small, null)),
        List.of(new OfferPlanner.Need("t-1", "t", 2, small)), planner, agents, List.of("QUOTA: role storm at its limit"));
    assertEquals("waiting for Trellis offers: 2 more worker slots of t (a supervisor with one worker needs "
        + "cpus:0.6;mem:768); allocator: QUOTA: role storm at its limit", reasons.get("t-1"));
  }

  @Test
  void unreadableSettingsCannotRunAndRunningTopologiesHaveNoReason() {
    Map<String, String> reasons = WaitingReasons.of(List.of(
        new StormView.Topology("bad-1", "bad", 1, 0, null, "topology.trellis.worker.cpu must be a number, not 'lots'"),
        new StormView.Topology("ok-1", "ok", 1, 1, new WorkerSize(0.5, 512), null)), List.of(), planner, agents, List.of());
    assertEquals("cannot run: topology.trellis.worker.cpu must be a number, not 'lots'", reasons.get("bad-1"));
    assertEquals(null, reasons.get("ok-1"));
  }
}
