package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The failover time of the services or jobs framework with default settings: the leading
 * instance killed -9 {@code times} times; each time, how long until the other one leads and has
 * recovered its state (it answers as leader, recovered). The bar is 15 s.
 */
public final class FrameworkFailover implements Scenario {
  private final Node.Role role;
  private final int times;

  public FrameworkFailover(Node.Role role, int times) {
    this.role = role;
    this.times = times;
  }

  @Override
  public Result run(Rig rig) {
    String what = role.name().toLowerCase();
    Result r = new Result(what + "-failover");
    List<Duration> failovers = new ArrayList<>();
    Node leader = Frameworks.awaitLeading(rig, role, null, Duration.ofSeconds(120));
    for (int i = 0; i < times; i++) {
      long t0 = System.nanoTime();
      leader.kill9();
      Node next = Frameworks.awaitLeading(rig, role, leader, Duration.ofSeconds(90));
      failovers.add(Duration.ofNanos(System.nanoTime() - t0));
      leader.start();
      rig.awaitUp(leader);
      leader = next;
    }
    Duration worst = failovers.stream().max(Duration::compareTo).orElseThrow();
    r.check(what + " failover under " + Frameworks.FAILOVER_BUDGET.toSeconds() + " s with default settings",
        worst.compareTo(Frameworks.FAILOVER_BUDGET) <= 0, worst, times + " kills -9 of the leader: "
            + failovers.stream().map(d -> String.format("%.1f s", d.toMillis() / 1000.0)).toList());
    return r;
  }
}
