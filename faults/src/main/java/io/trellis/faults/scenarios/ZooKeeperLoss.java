package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * kill -9 of {@code lost} of the 3 ZooKeeper members. One: the quorum stands, the same master
 * keeps leading and the app scales meanwhile (no interruption). Two: no quorum, so no master may
 * lead — but no task dies; when the members return a master leads again, nothing was lost and
 * the app scales again.
 */
public final class ZooKeeperLoss implements Scenario {
  private final int lost;

  public ZooKeeperLoss(int lost) {
    this.lost = lost;
  }

  @Override
  public Result run(Rig rig) {
    String name = "zookeeper-lose-" + lost + "-of-3";
    Result r = new Result(name);
    Sleepers app = Sleepers.start(rig, "/faults/zk-lose-" + lost, 10);
    Set<String> before = app.running();
    Node leader = rig.awaitLeader(Duration.ofSeconds(30));
    List<Node> killed = rig.nodes(Node.Role.ZOOKEEPER).subList(0, lost);
    long t0 = System.nanoTime();
    killed.forEach(Node::kill9);
    if (lost == 1) {
      app.scale(14);
      Duration scaled = app.awaitWhole(t0, Duration.ofSeconds(60));
      boolean same = rig.leader().map(leader::equals).orElse(false);
      r.check("the same master leads throughout, work goes on", same, scaled,
          leader.name() + (same ? " still leads" : " lost its lead") + "; app scaled to 14 in "
              + scaled.toMillis() / 1000.0 + " s");
    } else {
      Duration noLeader = Waits.until("no master to lead without a quorum", Duration.ofSeconds(60),
          () -> rig.leaders().isEmpty());
      Waits.sleep(Duration.ofSeconds(20));
      long alive = rig.taskProcesses().size();
      r.check("no leader without a quorum; every task keeps running", rig.leaders().isEmpty() && alive >= 10,
          noLeader, "no master leads " + noLeader.toMillis() / 1000.0 + " s after the quorum went; " + alive
              + " task processes still running");
    }
    long back = System.nanoTime();
    killed.forEach(Node::start);
    killed.forEach(rig::awaitUp);
    Node next = rig.awaitLeader(Duration.ofSeconds(120));
    Duration resumed = Duration.ofNanos(System.nanoTime() - back);
    if (lost > 1) {
      r.check("a master leads again once the quorum returns", true, resumed, next.name() + " leads");
      app.scale(14);
    }
    Duration recovered = app.awaitWhole(back, Duration.ofSeconds(180));
    Invariants.notLost(rig, r, before, recovered);
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
