package io.trellis.faults.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Ledger;
import io.trellis.faults.rig.Node;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import io.trellis.faults.suite.Result;
import io.trellis.faults.suite.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The jobs framework down (every instance killed -9) across three slots of once-a-minute jobs,
 * one per missed-run policy, then started again. From the ledger: SKIP runs none of the three,
 * RUN_ONCE runs the latest once, CATCH_UP runs all three; none runs a slot twice; the skipped
 * slots are counted on the job. See docs/jobs.md, "missedRunPolicy".
 */
public final class JobsDown implements Scenario {
  private static final Pattern TASK = Pattern.compile("job\\.(.+)\\.(\\d+)[a-z]\\.\\d+");
  private static final int SECOND = 30;

  @Override
  public Result run(Rig rig) {
    Result r = new Result("jobs-down-3-slots");
    String prefix = "fd" + Long.toString(System.currentTimeMillis() % 100_000, 36);
    Map<String, String> policyOf = new LinkedHashMap<>();
    for (String policy : List.of("SKIP", "RUN_ONCE", "CATCH_UP")) {
      String job = prefix + "-" + policy.toLowerCase().replace('_', '-');
      policyOf.put(job, policy);
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("name", job);
      def.put("command", rig.ledger().command("true"));
      def.put("cron", SECOND + " * * * * *");
      def.put("missedRunPolicy", policy);
      def.put("epsilon", "PT10S");
      def.put("cpus", 0.01);
      def.put("mem", 8);
      rig.api().post(rig.jobsUrl() + "/v1/scheduler/iso8601", def).expectOk("POST job " + job);
    }
    Frameworks.awaitLeading(rig, Node.Role.JOBS, null, Duration.ofSeconds(120));
    // Down from 5 s after a slot until 10 s after the third slot from then.
    Instant lastBefore = nextSlot(Instant.now().plusSeconds(15));
    Waits.sleep(Duration.between(Instant.now(), lastBefore.plusSeconds(5)));
    Map<String, Long> skippedBefore = skipped(rig, policyOf.keySet());
    List<Node> jobs = rig.nodes(Node.Role.JOBS);
    jobs.forEach(Node::kill9);
    List<Instant> missed = List.of(lastBefore.plusSeconds(60), lastBefore.plusSeconds(120), lastBefore.plusSeconds(180));
    Waits.sleep(Duration.between(Instant.now(), missed.get(2).plusSeconds(10)));
    long t0 = System.nanoTime();
    jobs.forEach(Node::start);
    jobs.forEach(rig::awaitUp);
    Frameworks.awaitLeading(rig, Node.Role.JOBS, null, Duration.ofSeconds(120));
    Duration back = Duration.ofNanos(System.nanoTime() - t0);
    // The next regular slot too, then the ledger.
    Instant after = missed.get(2).plusSeconds(60);
    Waits.sleep(Duration.between(Instant.now(), after.plusSeconds(20)));

    Map<String, Integer> runs = new LinkedHashMap<>();
    for (Ledger.Entry e : rig.ledger().entries()) {
      Matcher m = TASK.matcher(e.taskId());
      if (m.matches() && policyOf.containsKey(m.group(1))) {
        runs.merge(m.group(1) + " " + Instant.ofEpochMilli(Long.parseLong(m.group(2))), 1, Integer::sum);
      }
    }
    Map<String, Long> skippedAfter = skipped(rig, policyOf.keySet());
    for (Map.Entry<String, String> job : policyOf.entrySet()) {
      String policy = job.getValue();
      List<Instant> expectRun = switch (policy) {
        case "SKIP" -> List.of();
        case "RUN_ONCE" -> List.of(missed.get(2));
        default -> missed;
      };
      List<String> wrong = new ArrayList<>();
      for (Instant s : missed) {
        int n = runs.getOrDefault(job.getKey() + " " + s, 0);
        if (n != (expectRun.contains(s) ? 1 : 0)) {
          wrong.add(s + " ran " + n + "×");
        }
      }
      int next = runs.getOrDefault(job.getKey() + " " + after, 0);
      if (next != 1) {
        wrong.add("the next slot " + after + " ran " + next + "×");
      }
      long skippedNow = skippedAfter.get(job.getKey()) - skippedBefore.get(job.getKey());
      long skippedExpected = 3 - expectRun.size();
      boolean counted = skippedNow == skippedExpected;
      r.check(policy + " applied to 3 missed slots, each run at most once", wrong.isEmpty(), back,
          expectRun.size() + " of 3 missed slots ran" + (wrong.isEmpty() ? "" : "; wrong: " + wrong));
      r.check(policy + ": skipped slots recorded", counted, back,
          skippedNow + " skipped recorded on the job, " + skippedExpected + " expected");
    }
    for (String job : policyOf.keySet()) {
      rig.api().delete(rig.jobsUrl() + "/v1/scheduler/job/" + job);
    }
    return r;
  }

  private static Instant nextSlot(Instant after) {
    Instant t = after.truncatedTo(ChronoUnit.MINUTES).plusSeconds(SECOND);
    return t.isBefore(after) ? t.plusSeconds(60) : t;
  }

  private static final Pattern SKIPPED = Pattern.compile("(\\d+) missed slots? skipped");

  /** The missed slots each job's history records as skipped ("N missed slots skipped ..."). */
  private static Map<String, Long> skipped(Rig rig, java.util.Collection<String> names) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : names) {
      JsonNode history = rig.api().get(rig.jobsUrl() + "/v1/scheduler/job/" + name + "/history")
          .expectOk("GET history of " + name);
      long n = 0;
      for (JsonNode run : history.isArray() ? history : history.path("runs")) {
        Matcher m = SKIPPED.matcher(run.path("message").asText());
        if ("SKIPPED".equals(run.path("state").asText()) && m.find()) {
          n += Long.parseLong(m.group(1));
        }
      }
      out.put(name, n);
    }
    return out;
  }
}
