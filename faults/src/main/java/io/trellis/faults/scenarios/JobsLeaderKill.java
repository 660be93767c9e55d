package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Once-a-minute jobs at staggered seconds, the leading jobs instance killed -9 within ±2 s of a
 * slot, {@code kills} times (the killed one started again as a standby each time). From the
 * ledger: every slot of every job between the first and the last kill ran exactly once. The
 * failover time is the time from the kill until the other instance leads and has recovered.
 */
public final class JobsLeaderKill implements Scenario {
  private final String name;
  private final int kills;
  private final int jobs;
  private final long seed;

  /**
   * @param jobs once-a-minute jobs, at seconds spread over the minute (the more, the more slots a
   *     minute, the sooner the next kill)
   */
  public JobsLeaderKill(String name, int kills, int jobs, long seed) {
    this.name = name;
    this.kills = kills;
    this.jobs = jobs;
    this.seed = seed;
  }

  @Override
  public Result run(Rig rig) {
    Result r = new Result(name);
    Random random = new Random(seed);
    Node leader = Frameworks.awaitLeading(rig, Node.Role.JOBS, null, Duration.ofSeconds(120));
    JobSlots slots = JobSlots.create(rig, JobSlots.prefix("fk"), jobs, Map.of());
    // Slots from a few seconds after the jobs exist are checked.
    Instant from = Instant.now().plusSeconds(3);
    List<Duration> failovers = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      Instant slot = slots.nextSlot(Instant.now().plusSeconds(4));
      long offsetMs = random.nextInt(4001) - 2000;
      Waits.sleep(Duration.between(Instant.now(), slot.plusMillis(offsetMs)));
      long t0 = System.nanoTime();
      leader.kill9();
      Node next = Frameworks.awaitLeading(rig, Node.Role.JOBS, leader, Duration.ofSeconds(90));
      Duration failover = Duration.ofNanos(System.nanoTime() - t0);
      failovers.add(failover);
      if (failover.compareTo(Frameworks.FAILOVER_BUDGET) > 0) {
        late.add("kill " + (k + 1) + ": " + failover.toMillis() + " ms");
      }
      leader.start();
      rig.awaitUp(leader);
      leader = next;
    }
    Instant to = Instant.now();
    // The last slots run, then the ledger is read.
    Waits.sleep(Duration.ofSeconds(20));
    Duration worst = failovers.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    long mean = (long) failovers.stream().mapToLong(Duration::toMillis).average().orElse(0);
    slots.checkOnce(r, from, to, worst, kills + " kills within ±2 s of a slot");
    r.check("jobs failover under " + Frameworks.FAILOVER_BUDGET.toSeconds() + " s", late.isEmpty(), worst,
        "mean " + mean + " ms, worst " + worst.toMillis() + " ms over " + failovers.size() + " kills"
            + (late.isEmpty() ? "" : "; over budget: " + late));
    slots.delete();
    return r;
  }
}
