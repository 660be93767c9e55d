package io.trellis.spark.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trellis.api.SchedulerCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutorGangTest {
  @Test
  void theGangIsEveryExecutorFromInstancesOrCores() {
    assertEquals(4, ExecutorGang.of(4, Integer.MAX_VALUE, 1, false, 900, "soft").executors());
    assertEquals(3, ExecutorGang.of(null, 7, 2, false, 900, "HARD").executors());
    assertEquals(2, ExecutorGang.of(5, 4, 2, false, 900, "SOFT").executors(), "the fewer of the two");
    SchedulerCall.Demand d = ExecutorGang.of(3, Integer.MAX_VALUE, 2, false, 60, "HARD")
        .demand("etl", new ExecutorSize(2, 1024, 384), Constraints.parse("rack:r1,r2;ssd"));
    assertEquals(new SchedulerCall.Demand("executors", "etl", "cpus:2;mem:1408", 3,
        List.of(List.of("rack", "LIKE", "\\Qr1\\E|\\Qr2\\E"), List.of("ssd", "LIKE", ".*")),
        new SchedulerCall.Gang(3, 60.0, SchedulerCall.GangMode.HARD)), d);
  }

  @Test
  void settingsThatLeaveTheGangUnknownAreRefusedNamingThem() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExecutorGang.of(null, Integer.MAX_VALUE, 1, false, 900, "SOFT")).getMessage()
        .contains("set spark.executor.instances or spark.cores.max"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExecutorGang.of(2, Integer.MAX_VALUE, 1, true, 900, "SOFT")).getMessage()
        .contains("turn off spark.dynamicAllocation.enabled"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExecutorGang.of(2, Integer.MAX_VALUE, 1, false, 900, "sometimes")).getMessage()
        .contains("spark.trellis.gang.mode must be SOFT or HARD, not 'sometimes'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExecutorGang.of(null, 1, 2, false, 900, "SOFT")).getMessage().contains("at least 1 executor, not 0"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ExecutorGang.of(2, Integer.MAX_VALUE, 1, false, Double.parseDouble("1e400"), "SOFT")).getMessage()
        .contains("spark.trellis.gang.timeout must be from 0 to 604800 s"));
  }
}
