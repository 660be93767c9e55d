package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The leading jobs instance halts at a crash point ({@code jobs.slot-recorded},
 * {@code jobs.run-recorded}, {@code jobs.launch-sent}) while once-a-minute jobs come due: the
 * other instance takes over and, from the ledger, every slot ran exactly once.
 */
public final class JobsCrashPoint implements Scenario {
  private final String point;

  public JobsCrashPoint(String point) {
    this.point = point;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result("crash-" + point.replace('@', '-'));
    Node armed = Frameworks.arm(rig, Node.Role.JOBS, point);
    JobSlots slots = JobSlots.create(rig, JobSlots.prefix("fc"), 3, Map.of());
    Instant from = Instant.now().plusSeconds(3);
    Waits.until(armed.name() + " to reach crash point " + point, Duration.ofSeconds(120), () -> !armed.alive());
    long t0 = System.nanoTime();
    Node next = Frameworks.awaitLeading(rig, Node.Role.JOBS, armed, Duration.ofSeconds(60));
    Duration failover = Duration.ofNanos(System.nanoTime() - t0);
    boolean said = armed.output().contains("crash point " + point.replaceAll("@\\d+$", "") + " reached");
    r.check("crashed at the point, the other jobs instance leads", said, failover,
        armed.name() + (said ? " halted at " + point : " died without reaching " + point) + "; " + next.name()
            + " leads and recovered " + failover.toMillis() + " ms later");
    // Two more slots of every job under the new leader.
    Instant to = Instant.now().plusSeconds(70);
    Waits.sleep(Duration.between(Instant.now(), to.plusSeconds(15)));
    slots.checkOnce(r, from, to, failover, "the leader halted at " + point);
    armed.setEnv("TRELLIS_CRASH_POINT", "");
    armed.start();
    rig.awaitUp(armed);
    slots.delete();
    return r;
  }
}
