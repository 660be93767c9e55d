package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.Map;

/**
 * The busiest agent's host cut off (its link down) for {@code away}, then healed. Inside the
 * master's agent timeout nothing changes; outside it the master marks the agent unreachable and
 * the services framework — partition-aware, as Marathon's unreachableStrategy — replaces its
 * instances after {@code inactiveAfterSeconds}; after the heal the returning instances must not
 * double the app: exactly its instance count runs, every process known, nothing launched twice.
 */
public final class AgentPartition implements Scenario {
  private final String name;
  private final Duration away;

  public AgentPartition(String name, Duration away) {
    this.name = name;
    this.away = away;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result(name);
    Sleepers app = Sleepers.start(rig, "/faults/" + name, 12,
        Map.of("unreachableStrategy", Map.of("inactiveAfterSeconds", 10, "expungeAfterSeconds", 600)));
    Node agent = app.busiestAgent();
    int onIt = app.runningOn(agent).size();
    rig.network().isolate(agent.host());
    Waits.sleep(away);
    boolean markedUnreachable = !AgentRestart.reachable(rig, agent);
    long t0 = System.nanoTime();
    rig.network().heal(agent.host());
    rig.awaitAgentsRegistered(Duration.ofSeconds(120));
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(180));
    Waits.sleep(Duration.ofSeconds(10)); // the returning instances have had their say
    r.check("the master's view of the partition", markedUnreachable == away.compareTo(Duration.ofSeconds(75)) > 0,
        agent.name() + " with " + onIt + " tasks away " + away.toSeconds() + " s: "
            + (markedUnreachable ? "marked unreachable" : "still reachable (inside the agent timeout)"));
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
