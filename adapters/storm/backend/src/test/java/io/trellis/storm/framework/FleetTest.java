package io.trellis.storm.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.storm.schedule.StormView;
import io.trellis.storm.schedule.WorkerSize;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The framework's decisions on simulated time. */
class FleetTest {
  private static final WorkerSize WORKER = new WorkerSize(0.5, 512);
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final InstantSource clock = () -> now;
  private final Fleet fleet = new Fleet(clock, Duration.ofSeconds(60), Duration.ofSeconds(120));

  private static StormView.Topology topology(String id, int workers) {
    return new StormView.Topology(id, id, workers, 0, WORKER, null);
  }

  private static StormView.Supervisor supervisor(String taskId, String... topologies) {
    return new StormView.Supervisor("sup-" + taskId, "h", taskId, 1, Set.of(topologies));
  }

  @Test
  void nothingIsWantedBeforeNimbusHasSpokenOrWithoutTopologies() {
    assertTrue(fleet.needs().isEmpty());
    fleet.view(new StormView(List.of(), List.of()));
    assertTrue(fleet.needs().isEmpty());
  }

  @Test
  void aTopologyWantsItsWorkersLessTheSlotsOfItsSupervisorsRunningOrStarting() {
    fleet.view(new StormView(List.of(topology("t", 3)), List.of()));
    assertEquals(3, fleet.needs().get(0).slots());
    fleet.launched("s1", "a", "t", 2);
    assertEquals(1, fleet.needs().get(0).slots());
    assertEquals(Set.of("t"), fleet.coming());
    fleet.ended("s1");
    assertEquals(3, fleet.needs().get(0).slots(), "a lost supervisor is wanted again");
  }

  @Test
  void supervisorsOfAGoneTopologyStopAtOnce() {
    fleet.launched("s1", "a", "t", 1);
    fleet.view(new StormView(List.of(topology("t", 1)), List.of(supervisor("s1", "t"))));
    assertTrue(fleet.coming().isEmpty(), "registered");
    List<SupervisorTask> stop = fleet.view(new StormView(List.of(), List.of(supervisor("s1"))));
    assertEquals(List.of("s1"), stop.stream().map(SupervisorTask::taskId).toList());
    assertTrue(fleet.view(new StormView(List.of(), List.of(supervisor("s1")))).isEmpty(), "stopped once");
  }

  @Test
  void aSpareIdleSupervisorStopsAfterTheGracePeriodButANeededOneStays() {
    fleet.launched("s1", "a", "t", 1);
    fleet.launched("s2", "b", "t", 1);
    fleet.view(new StormView(List.of(topology("t", 1)), List.of(supervisor("s1", "t"), supervisor("s2"))));
    now = now.plusSeconds(59);
    assertTrue(fleet.idleToStop().isEmpty());
    now = now.plusSeconds(1);
    assertEquals(List.of("s2"), fleet.idleToStop().stream().map(SupervisorTask::taskId).toList());
    fleet.ended("s2");
    fleet.view(new StormView(List.of(topology("t", 1)), List.of(supervisor("s1"))));
    now = now.plusSeconds(600);
    assertTrue(fleet.idleToStop().isEmpty(), "the topology's only supervisor stays, idle or not");
  }

  @Test
  void aSupervisorThatNeverRegistersIsStoppedAndReplaced() {
    fleet.launched("s1", "a", "t", 1);
    fleet.view(new StormView(List.of(topology("t", 1)), List.of()));
    now = now.plusSeconds(121);
    assertEquals(List.of("s1"), fleet.view(new StormView(List.of(topology("t", 1)), List.of())).stream()
        .map(SupervisorTask::taskId).toList());
    assertEquals(1, fleet.needs().get(0).slots());
  }

  @Test
  void adoptedSupervisorsCountAndNoSecondSetIsWanted() {
    fleet.adopted("s1", "a", "t", 1);
    fleet.adopted("s2", "b", "t", 1);
    fleet.view(new StormView(List.of(topology("t", 2)), List.of(supervisor("s1", "t"), supervisor("s2", "t"))));
    assertTrue(fleet.needs().isEmpty());
    assertTrue(fleet.coming().isEmpty());
  }
}
