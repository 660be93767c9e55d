package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.Set;

/**
 * 10 forced leader changes within 5 minutes (kill -9 of each new leader, the killed one started
 * again), the app scaled between them: every change completes, nothing is lost or launched twice.
 */
public final class LeaderChurn implements Scenario {
  private static final int CHANGES = 10;

  @Override
  public Result run(Rig rig) {
    Result r = new Result("leader-churn-10");
    Sleepers app = Sleepers.start(rig, "/faults/leader-churn", 20);
    Set<String> before = app.running();
    long t0 = System.nanoTime();
    Duration worst = Duration.ZERO;
    int changes = 0;
    for (int i = 0; i < CHANGES; i++) {
      Node leader = rig.awaitLeader(Duration.ofSeconds(60));
      long k = System.nanoTime();
      leader.kill9();
      Node next = rig.awaitLeader(Duration.ofSeconds(60));
      Duration took = Duration.ofNanos(System.nanoTime() - k);
      worst = took.compareTo(worst) > 0 ? took : worst;
      if (!next.equals(leader)) {
        changes++;
      }
      app.scale(i % 2 == 0 ? 22 : 20);
      leader.start();
      rig.awaitUp(leader);
    }
    Duration all = Duration.ofNanos(System.nanoTime() - t0);
    r.check(CHANGES + " leader changes within 5 minutes", changes == CHANGES && all.compareTo(Duration.ofMinutes(5)) <= 0,
        worst, changes + " changes in " + all.toSeconds() + " s; the slowest took " + worst.toMillis() / 1000.0
            + " s (time to recover: the slowest)");
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(120));
    Invariants.notLost(rig, r, before, recovered);
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
