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
 * The leading master cut off from every ZooKeeper member (packets dropped inside its host; agents,
 * frameworks and the rig still reach it): it must stop leading within its session (10 s), another
 * master takes over and launches more instances, and no task is launched twice.
 */
public final class LeaderZkPartition implements Scenario {
  @Override
  public Result run(Rig rig) {
    Result r = new Result("leader-zk-partition");
    Sleepers app = Sleepers.start(rig, "/faults/leader-zk-partition", 20);
    Set<String> before = app.running();
    Node leader = rig.awaitLeader(Duration.ofSeconds(30));
    long t0 = System.nanoTime();
    for (Node zk : rig.nodes(Node.Role.ZOOKEEPER)) {
      rig.network().block(leader.host(), zk.host());
    }
    Duration stepped = Waits.until(leader.name() + " to stop leading", Duration.ofSeconds(60),
        () -> !Leaders.saysItLeads(rig, leader));
    r.check("the cut-off leader steps down within its 10 s session", stepped.compareTo(Duration.ofSeconds(10)) <= 0,
        stepped, leader.name() + " stopped leading after " + stepped.toMillis() / 1000.0 + " s");
    Node next = rig.awaitLeader(Duration.ofSeconds(60));
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    String most = Leaders.mostAtOnce(rig, Duration.ofSeconds(5));
    r.check("another master leads, never two at once", !next.equals(leader) && most.startsWith("1 "), failover,
        next.name() + " leads; most at once: " + most);
    app.scale(26);
    app.awaitWhole(t0, Duration.ofSeconds(120));
    rig.network().heal(leader.host());
    Waits.sleep(Duration.ofSeconds(10));
    r.check("the healed master stays a follower", !Leaders.saysItLeads(rig, leader) && rig.leader().isPresent(),
        leader.name() + (Leaders.saysItLeads(rig, leader) ? " leads again" : " follows"));
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(120));
    Invariants.notLost(rig, r, before, recovered);
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
