package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.Set;

/**
 * SIGSTOP of the leading master for longer than its ZooKeeper session: another master leads and
 * launches more instances meanwhile; after SIGCONT the old one must step down at once, never act
 * as a second leader (no task launched twice, never two masters saying they lead).
 */
public final class LeaderPause implements Scenario {
  @Override
  public Result run(Rig rig) {
    Result r = new Result("leader-sigstop");
    Sleepers app = Sleepers.start(rig, "/faults/leader-pause", 20);
    Set<String> before = app.running();
    Node leader = rig.awaitLeader(Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    leader.pause();
    Node next = rig.awaitLeader(Duration.ofSeconds(120));
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    r.check("another master leads while the leader is stopped", !next.equals(leader), failover,
        leader.name() + " stopped, " + next.name() + " leads");
    app.scale(30);
    app.awaitWhole(t0, Duration.ofSeconds(120));
    Waits.sleep(Duration.ofSeconds(5)); // well past the stopped leader's 10 s session

    long resumed = System.nanoTime();
    leader.resume();
    String most = Leaders.mostAtOnce(rig, Duration.ofSeconds(15));
    boolean steppedDown = !Leaders.saysItLeads(rig, leader);
    r.check("the resumed master steps down, never two leaders", most.startsWith("1 ") && steppedDown,
        Duration.ofNanos(System.nanoTime() - resumed), "most masters leading at once after SIGCONT: " + most
            + "; " + leader.name() + (steppedDown ? " follows" : " still says it leads"));
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(120));
    Invariants.notLost(rig, r, before, recovered);
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
