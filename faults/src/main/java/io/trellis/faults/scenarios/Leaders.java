package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import java.time.Duration;
import java.util.List;

/** Watches the masters' own word on who leads. */
final class Leaders {
  private Leaders() {}

  /** Whether {@code master} answers and says it leads. */
  static boolean saysItLeads(Rig rig, Node master) {
    return rig.saysItLeads(master);
  }

  /**
   * Polls every master for {@code window}; returns the greatest number that said they lead at
   * once, with their names.
   */
  static String mostAtOnce(Rig rig, Duration window) {
    long end = System.nanoTime() + window.toNanos();
    List<Node> worst = List.of();
    while (System.nanoTime() < end) {
      List<Node> now = rig.leaders();
      if (now.size() > worst.size()) {
        worst = now;
      }
      io.trellis.faults.rig.Waits.sleep(Duration.ofMillis(250));
    }
    return worst.size() + " " + worst;
  }
}
