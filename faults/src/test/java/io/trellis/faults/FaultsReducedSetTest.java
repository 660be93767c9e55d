package io.trellis.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.faults.rig.Install;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.RigConfig;
import io.trellis.faults.scenarios.AgentRestart;
import io.trellis.faults.scenarios.LeaderKill;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Table;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's reduced set for every build: a rig of real processes from the built release
 * (3 ZooKeeper members, 2 masters, 2 agents, a services instance) on network namespaces of its own
 * prefix and subnet, so that it runs beside a full {@code bin/fault-suite}. Needs root, like the
 * suite (it fails, not skips, without it).
 */
class FaultsReducedSetTest {
  private static Rig rig;

  @BeforeAll
  static void startRig() throws Exception {
    RigConfig config = RigConfig.full(Install.fromSource(Path.of("..").toAbsolutePath().normalize()))
        .withPrefix("tc-", "10.79.0").withCounts(2, 2, 1, 0);
    rig = Rig.start(config, line -> { });
  }

  @AfterAll
  static void stopRig() {
    if (rig != null) {
      rig.close();
    }
  }

  @Test
  void killingTheLeadingMasterLosesAndDoublesNoTask() throws Exception {
    Result result = new LeaderKill("leader-kill-50", 50).run(rig);
    System.out.print(Table.console(result.rows()));
    assertTrue(result.allHeld(), result.summary());
    rig.restore();
  }

  @Test
  void anAgentKilledAndRestartedInsideItsTimeoutKeepsItsTasks() throws Exception {
    Result result = new AgentRestart("agent-restart-inside", false).run(rig);
    System.out.print(Table.console(result.rows()));
    assertTrue(result.allHeld(), result.summary());
    rig.restore();
  }
}
