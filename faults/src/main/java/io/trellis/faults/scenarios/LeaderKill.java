package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.Set;

/**
 * kill -9 of the leading master while an app's {@code tasks} instances run: another master leads
 * within the failover budget, every task is still running and known, nothing is launched again.
 */
public final class LeaderKill implements Scenario {
  /** The bar for master failover with default settings. */
  public static final Duration FAILOVER_BUDGET = Duration.ofSeconds(15);
  private final String name;
  private final int tasks;

  public LeaderKill(String name, int tasks) {
    this.name = name;
    this.tasks = tasks;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result(name);
    Sleepers app = Sleepers.start(rig, "/faults/leader-kill", tasks);
    Set<String> before = app.running();

    Node leader = rig.awaitLeader(Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    leader.kill9();
    Node next = rig.awaitLeader(Duration.ofSeconds(120));
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    r.check("another master leads within " + FAILOVER_BUDGET.toSeconds() + " s", !next.equals(leader)
        && failover.compareTo(FAILOVER_BUDGET) <= 0, failover, leader.name() + " killed, " + next.name() + " leads");

    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(180));
    Invariants.notLost(rig, r, before, recovered);
    r.check("no instance launched again", app.launches() == tasks, app.launches() + " launches for " + tasks + " instances");
    app.verify(r, recovered);

    leader.start();
    rig.awaitUp(leader);
    app.remove();
    return r;
  }
}
