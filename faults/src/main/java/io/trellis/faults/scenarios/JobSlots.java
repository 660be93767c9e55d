package io.trellis.faults.scenarios;

import io.trellis.faults.rig.Ledger;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.suite.Result;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Once-a-minute jobs at seconds spread over the minute, each writing its ledger line, and the
 * check that every slot of theirs in a window ran exactly once, read from the ledger.
 */
final class JobSlots {
  /** A jobs task id: {@code job.<name>.<slot ms><trigger>.<attempt>}. */
  private static final Pattern TASK = Pattern.compile("job\\.(.+)\\.(\\d+)[a-z]\\.\\d+");
  /** Job name to the second of the minute it runs at. */
  final Map<String, Integer> secondOf = new LinkedHashMap<>();
  private final Rig rig;

  private JobSlots(Rig rig) {
    this.rig = rig;
  }

  /** Creates {@code jobs} jobs named {@code <prefix>-<n>}, with more fields of their definitions. */
  static JobSlots create(Rig rig, String prefix, int jobs, Map<String, Object> more) {
    JobSlots s = new JobSlots(rig);
    for (int j = 0; j < jobs; j++) {
      int second = 5 + j * (60 / jobs);
      String job = prefix + "-" + j;
      s.secondOf.put(job, second);
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("name", job);
      def.put("command", rig.ledger().command("true"));
      def.put("cron", second + " * * * * *");
      def.put("cpus", 0.01);
      def.put("mem", 8);
      def.putAll(more);
      rig.api().post(rig.jobsUrl() + "/v1/scheduler/iso8601", def).expectOk("POST job " + job);
    }
    return s;
  }

  /** A name unlikely to meet an earlier run's jobs. */
  static String prefix(String what) {
    return what + Long.toString(System.currentTimeMillis() % 100_000, 36);
  }

  /** The first slot of any of the jobs at or after {@code after}. */
  Instant nextSlot(Instant after) {
    Instant minute = after.truncatedTo(ChronoUnit.MINUTES);
    Instant best = null;
    for (int m = 0; m <= 1; m++) {
      for (int s : secondOf.values()) {
        Instant t = minute.plusSeconds(60L * m + s);
        if (!t.isBefore(after) && (best == null || t.isBefore(best))) {
          best = t;
        }
      }
    }
    return best;
  }

  /** How many times the ledger shows each job's slot run, by "{@code <job> <slot>}". */
  Map<String, Integer> runs() {
    Map<String, Integer> runs = new TreeMap<>();
    for (Ledger.Entry e : rig.ledger().entries()) {
      Matcher m = TASK.matcher(e.taskId());
      if (m.matches() && secondOf.containsKey(m.group(1))) {
        runs.merge(key(m.group(1), Instant.ofEpochMilli(Long.parseLong(m.group(2)))), 1, Integer::sum);
      }
    }
    return runs;
  }

  static String key(String job, Instant slot) {
    return job + " " + slot;
  }

  /** Checks that every slot of every job in [{@code from}, {@code to}] ran, and none twice. */
  void checkOnce(Result r, Instant from, Instant to, Duration recovery, String what) {
    Map<String, Integer> runs = runs();
    List<String> missing = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    int expected = 0;
    for (Map.Entry<String, Integer> job : secondOf.entrySet()) {
      for (Instant s = from.truncatedTo(ChronoUnit.MINUTES).minusSeconds(60).plusSeconds(job.getValue()); !s.isAfter(to);
          s = s.plusSeconds(60)) {
        if (s.isBefore(from)) {
          continue;
        }
        expected++;
        int n = runs.getOrDefault(key(job.getKey(), s), 0);
        if (n == 0) {
          missing.add(key(job.getKey(), s));
        } else if (n > 1) {
          twice.add(key(job.getKey(), s) + " ×" + n);
        }
      }
    }
    r.check("every slot ran (" + what + ")", missing.isEmpty(), recovery, expected + " slots of " + secondOf.size()
        + " jobs" + (missing.isEmpty() ? ", all ran" : "; missing " + missing.size() + ", e.g. " + missing.get(0)));
    r.check("no slot ran twice", twice.isEmpty(), recovery,
        twice.isEmpty() ? expected + " slots, each once" : twice.size() + " ran twice, e.g. " + twice.get(0));
  }

  void delete() {
    for (String job : secondOf.keySet()) {
      rig.api().delete(rig.jobsUrl() + "/v1/scheduler/job/" + job);
    }
  }
}
