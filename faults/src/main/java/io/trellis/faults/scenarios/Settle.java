package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Waits;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Whether a check comes to hold within a time: a verdict, not a failure of the scenario. */
final class Settle {
  private Settle() {}

  static boolean within(Duration time, Callable<Boolean> check) {
    try {
      Waits.until("the cluster to settle", time, check);
      return true;
    } catch (Waits.TimedOut e) {
      return false;
    }
  }
}
