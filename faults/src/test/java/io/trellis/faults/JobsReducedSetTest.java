package io.trellis.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.faults.rig.Install;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.RigConfig;
import io.trellis.faults.scenarios.JobsLeaderKill;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Table;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The jobs part of the fault suite's reduced set for every build: a rig of real processes (3
 * ZooKeeper members, a master, an agent, two jobs instances) on network namespaces of its own
 * prefix and subnet; the leading jobs instance killed -9 within ±2 s of a once-a-minute job's
 * slot; the slot runs once, the failover stays under 15 s. Needs root, like the suite.
 */
class JobsReducedSetTest {
  @Test
  void killingTheJobsLeaderNearASlotRunsTheSlotOnce() throws Exception {
    RigConfig config = RigConfig.full(Install.fromSource(Path.of("..").toAbsolutePath().normalize()))
        .withPrefix("tj-", "10.80.0").withCounts(1, 1, 0, 2);
    try (Rig rig = Rig.start(config, line -> { })) {
      Result result = new JobsLeaderKill("jobs-leader-kill-1", 1, 2, 15).run(rig);
      System.out.print(Table.console(result.rows()));
      assertTrue(result.allHeld(), result.summary());
    }
  }
}
