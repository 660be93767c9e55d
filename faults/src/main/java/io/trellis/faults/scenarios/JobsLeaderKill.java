package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Ledger;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Once-a-minute jobs at staggered seconds, the leading jobs instance killed -9 within ±2 s of a
 * slot, {@code kills} times (the killed one started again as a standby each time). From the
 * ledger: every slot of every job between the first and the last kill ran exactly once. The
 * failover time is the time from the kill until the other instance leads and has recovered.
 */
public final class JobsLeaderKill implements Scenario {
  /** A jobs task id: {@code job.<name>.<slot ms><trigger>.<attempt>}. */
  private static final Pattern TASK = Pattern.compile("job\\.(.+)\\.(\\d+)[a-z]\\.\\d+");
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
    Map<String, Integer> secondOf = new LinkedHashMap<>();
    String prefix = "fk" + Long.toString(System.currentTimeMillis() % 100_000, 36);
    for (int j = 0; j < jobs; j++) {
      int second = 5 + j * (60 / jobs);
      String job = prefix + "-" + j;
      secondOf.put(job, second);
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("name", job);
      def.put("command", rig.ledger().command("true"));
      def.put("cron", second + " * * * * *");
      def.put("cpus", 0.01);
      def.put("mem", 8);
      rig.api().post(rig.jobsUrl() + "/v1/scheduler/iso8601", def).expectOk("POST job " + job);
    }
    // Slots from a few seconds after the jobs exist are checked.
    Instant from = Instant.now().plusSeconds(3);
    List<Duration> failovers = new ArrayList<>();
    List<String> late = new ArrayList<>();
    for (int k = 0; k < kills; k++) {
      Instant slot = nextSlot(secondOf.values(), Instant.now().plusSeconds(4));
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
    Map<String, Integer> runs = new TreeMap<>();
    for (Ledger.Entry e : rig.ledger().entries()) {
      Matcher m = TASK.matcher(e.taskId());
      if (m.matches() && secondOf.containsKey(m.group(1))) {
        runs.merge(m.group(1) + " " + Instant.ofEpochMilli(Long.parseLong(m.group(2))), 1, Integer::sum);
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    int expected = 0;
    for (Map.Entry<String, Integer> job : secondOf.entrySet()) {
      for (Instant s = from.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(60).plusSeconds(job.getValue());
          !s.isAfter(to); s = s.plusSeconds(60)) {
        if (s.isBefore(from)) {
          continue;
        }
        expected++;
        int n = runs.getOrDefault(job.getKey() + " " + s, 0);
        if (n == 0) {
          missing.add(job.getKey() + " " + s);
        } else if (n > 1) {
          twice.add(job.getKey() + " " + s + " ×" + n);
        }
      }
    }
    Duration worst = failovers.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    long mean = (long) failovers.stream().mapToLong(Duration::toMillis).average().orElse(0);
    r.check("every slot ran (" + kills + " kills within ±2 s of a slot)", missing.isEmpty(), worst,
        expected + " slots of " + jobs + " jobs" + (missing.isEmpty() ? ", all ran" : "; missing " + missing.size()
            + ", e.g. " + missing.get(0)));
    r.check("no slot ran twice", twice.isEmpty(), worst,
        twice.isEmpty() ? expected + " slots, each once" : twice.size() + " ran twice, e.g. " + twice.get(0));
    r.check("jobs failover under " + Frameworks.FAILOVER_BUDGET.toSeconds() + " s", late.isEmpty(), worst,
        "mean " + mean + " ms, worst " + worst.toMillis() + " ms over " + failovers.size() + " kills"
            + (late.isEmpty() ? "" : "; over budget: " + late));
    for (String job : secondOf.keySet()) {
      rig.api().delete(rig.jobsUrl() + "/v1/scheduler/job/" + job);
    }
    return r;
  }

  /** The first slot at or after {@code after} of jobs due at these seconds of every minute. */
  static Instant nextSlot(java.util.Collection<Integer> seconds, Instant after) {
    Instant minute = after.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    Instant best = null;
    for (int m = 0; m <= 1; m++) {
      for (int s : seconds) {
        Instant t = minute.plusSeconds(60L * m + s);
        if (!t.isBefore(after) && (best == null || t.isBefore(best))) {
          best = t;
        }
      }
    }
    return best;
  }
}
