package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;

/**
 * A 100-instance deploy during which the leading services instance, or the leading master, dies
 * as if killed -9 at a crash point ({@code TRELLIS_CRASH_POINT}, see {@code io.trellis.core.CrashPoints}).
 * Only the instance that leads when the deploy starts carries the point: it is started with it as
 * a standby, then made the leader by killing the others, which start again without it. The
 * deployment completes after the failover with exactly 100 instances: none lost, none launched
 * twice, every process known to the master.
 */
public final class CrashPointDeploy implements Scenario {
  private static final int INSTANCES = 100;
  private final String point;
  private final Node.Role role;

  /** @param point a crash point's name with its hit, e.g. {@code services.before-acknowledge@40} */
  public CrashPointDeploy(String point) {
    this.point = point;
    this.role = point.startsWith("master.") ? Node.Role.MASTER : Node.Role.SERVICES;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result("crash-" + point.replace('@', '-'));
    Node armed = Frameworks.arm(rig, role, point);
    String app = "/faults/crash-" + point.replaceAll("[^a-z0-9]+", "-");
    Sleepers deploy = Sleepers.startDeploying(rig, app, INSTANCES);
    long t0 = System.nanoTime();
    Waits.until(armed.name() + " to reach crash point " + point, Duration.ofSeconds(120), () -> !armed.alive());
    long crashed = System.nanoTime();
    boolean said = armed.output().contains("crash point " + point.replaceAll("@\\d+$", "") + " reached");
    Node next = role == Node.Role.MASTER ? rig.awaitLeader(Duration.ofSeconds(60))
        : Frameworks.awaitLeading(rig, role, armed, Duration.ofSeconds(60));
    Duration failover = Duration.ofNanos(System.nanoTime() - crashed);
    r.check("crashed at the point, another " + role.name().toLowerCase() + " leads within "
        + Frameworks.FAILOVER_BUDGET.toSeconds() + " s", said && failover.compareTo(Frameworks.FAILOVER_BUDGET) <= 0,
        failover, armed.name() + (said ? " halted at " + point : " died without reaching " + point) + ", " + next.name()
            + " leads after " + failover.toMillis() + " ms");
    String cut = deploy.settleCutCall();
    Duration recovered = deploy.awaitWhole(t0, Duration.ofSeconds(300));
    Waits.sleep(Duration.ofSeconds(5));
    r.check("deployment completes after the failover", true, recovered, INSTANCES + " instances running"
        + (cut == null ? "" : "; " + cut));
    deploy.verify(r, recovered);
    armed.setEnv("TRELLIS_CRASH_POINT", "");
    armed.start();
    rig.awaitUp(armed);
    deploy.remove();
    return r;
  }
}
