package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.util.List;

/**
 * A status-update storm during a framework restart: 200 instances deploying at once (three
 * updates each) and the leading services instance killed -9 in the middle of it. The other
 * instance takes over, reconciles, and the app ends with exactly 200 instances: none launched
 * twice, every process known to the master, none left behind that nobody tracks.
 */
public final class StatusStorm implements Scenario {
  private static final int INSTANCES = 200;

  @Override
  public Result run(Rig rig) {
    Result r = new Result("status-storm-framework-restart");
    List<Node> services = rig.nodes(Node.Role.SERVICES);
    Node leading = services.stream().filter(n -> n.output().contains("leads") && !n.output().contains("stands by"))
        .findFirst().orElse(services.get(0));
    Sleepers app = Sleepers.startDeploying(rig, "/faults/status-storm", INSTANCES);
    Waits.until("the storm to be under way", Duration.ofSeconds(60), () -> app.launches() >= INSTANCES / 4);
    long t0 = System.nanoTime();
    leading.kill9();
    Duration recovered = app.awaitWhole(t0, Duration.ofSeconds(240));
    r.check("the other services instance takes over and finishes the deployment", true, recovered,
        leading.name() + " killed at " + app.launches() + " launches");
    leading.start();
    rig.awaitUp(leading);
    Waits.sleep(Duration.ofSeconds(5));
    app.verify(r, recovered);
    app.remove();
    return r;
  }
}
