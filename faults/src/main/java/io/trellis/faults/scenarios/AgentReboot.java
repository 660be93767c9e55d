package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.suite.Invariants;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host of the busiest agent reboots: every process on it dies, it comes back with a new boot
 * id and the agent starts again on its work directory. The agent reports its old tasks gone
 * (never running), the services framework replaces them, and nothing else is launched twice.
 */
public final class AgentReboot implements Scenario {
  @Override
  public Result run(Rig rig) {
    Result r = new Result("agent-reboot");
    Sleepers app = Sleepers.start(rig, "/faults/agent-reboot", 12);
    Node agent = app.busiestAgent();
    Set<String> onIt = app.runningOn(agent);
    long t0 = System.nanoTime();
    rig.rebootAgentHost(agent);
    rig.awaitUp(agent);
    rig.awaitAgentsRegistered(Duration.ofSeconds(120));
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(180));

    Map<String, String> states = Invariants.taskStates(rig);
    List<String> wrong = new ArrayList<>();
    for (String id : onIt) {
      String s = states.get(id);
      if (s != null && !Set.of("GONE", "LOST").contains(s)) {
        wrong.add(id + " " + s);
      }
    }
    r.check("the rebooted host's tasks reported gone, never running", wrong.isEmpty(), recovered,
        wrong.isEmpty() ? onIt.size() + " tasks of " + agent.name() + " gone (or forgotten), replaced"
            : wrong.size() + " still listed: " + wrong.get(0));
    r.check("only the lost instances launched again", app.launches() == app.instances + onIt.size(),
        app.launches() + " launches for " + app.instances + " instances and " + onIt.size() + " lost");
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
