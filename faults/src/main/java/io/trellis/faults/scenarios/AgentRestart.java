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
 * kill -9 of the agent running most of an app's tasks, started again after {@code down}: inside
 * the master's agent timeout (75 s) or outside it (the master marked it unreachable first). Its
 * tasks outlive it; the restarted agent recovers them: all running again, none launched again.
 */
public final class AgentRestart implements Scenario {
  private final String name;
  private final boolean outsideTimeout;

  public AgentRestart(String name, boolean outsideTimeout) {
    this.name = name;
    this.outsideTimeout = outsideTimeout;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result(name);
    Sleepers app = Sleepers.start(rig, "/faults/" + name, 12);
    Set<String> before = app.running();
    Node agent = app.busiestAgent();
    Set<String> onIt = app.runningOn(agent);
    long t0 = System.nanoTime();
    agent.kill9();
    if (outsideTimeout) {
      Duration marked = Waits.until("the master to mark " + agent + " unreachable", Duration.ofSeconds(150),
          () -> !reachable(rig, agent));
      r.check("the silent agent is marked unreachable", true, marked, agent.name() + " unreachable after "
          + marked.toSeconds() + " s");
      Waits.sleep(Duration.ofSeconds(10));
    } else {
      Waits.sleep(Duration.ofSeconds(5));
    }
    agent.start();
    rig.awaitUp(agent);
    rig.awaitAgentsRegistered(Duration.ofSeconds(120));
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(120));
    long reattached = agent.output().lines().filter(l -> l.contains("recovered task")).count();
    r.check("the restarted agent recovers its tasks", reattached >= onIt.size(), recovered,
        agent.name() + " recovered " + reattached + " of its " + onIt.size() + " tasks");
    Invariants.notLost(rig, r, before, recovered);
    r.check("its " + onIt.size() + " tasks recovered, none launched again", app.launches() == app.instances,
        recovered, app.launches() + " launches for " + app.instances + " instances");
    app.verify(r, recovered);
    app.remove();
    return r;
  }

  static boolean reachable(Rig rig, Node agent) {
    for (var a : rig.state().path("agents")) {
      if (a.path("hostname").asText().equals(agent.host().address())) {
        return a.path("reachable").asBoolean();
      }
    }
    return false;
  }
}
