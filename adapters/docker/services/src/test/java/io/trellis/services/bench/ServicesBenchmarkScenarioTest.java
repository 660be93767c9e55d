package io.trellis.services.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's scenarios at a small size, so they keep working; no timing is asserted. */
class ServicesBenchmarkScenarioTest {
  @Test
  void theLocalAgentScenarioRunsEveryInstance() throws Exception {
    ServicesBenchmark.Result r = ServicesBenchmark.localAgent(20);
    assertEquals(20, r.instances());
    assertTrue(r.allRunningSeconds() > 0);
  }

  @Test
  void theSimulatedScenarioRunsEveryInstance() throws Exception {
    ServicesBenchmark.Result r = ServicesBenchmark.simulatedAgents(50, 50);
    assertEquals(50, r.instances());
    assertTrue(r.stopSeconds() > 0);
  }
}
