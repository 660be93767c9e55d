package io.trellis.faults.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.faults.rig.Ledger;
import io.trellis.faults.rig.Rig;
import io.trellis.faults.rig.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract's invariants, one check each, read from what ran (the ledger, the processes on the
 * agents' hosts) and from the leading master's state.
 */
public final class Invariants {
  public static final String ONCE = "no task launched twice";
  public static final String KNOWN = "every live task process known to the master";
  public static final String NOT_LOST = "no acknowledged task lost";
  public static final String NO_ORPHANS = "no orphans, no doubled instances";

  private Invariants() {}

  /** No task id written twice in the ledger: nothing launched the same task again. */
  public static void launchedOnce(Rig rig, Result r) {
    Map<String, Integer> twice = rig.ledger().launchedTwice();
    r.check(ONCE, twice.isEmpty(), twice.isEmpty() ? rig.ledger().entries().size() + " launches, each once"
        : twice.size() + " task ids launched more than once, e.g. " + first(twice.keySet()));
  }

  /**
   * Every task process on the agents' hosts belongs to a task the leading master lists in a state
   * that is not terminal (waits up to {@code settle} for the master to catch up).
   */
  public static void liveKnown(Rig rig, Result r, Duration settle) {
    List<String> unknown = new ArrayList<>();
    boolean held = settles(settle, () -> {
      unknown.clear();
      Map<String, String> states = taskStates(rig);
      for (String id : rig.taskProcesses().keySet()) {
        String s = states.get(id);
        if (s == null || terminal(s)) {
          unknown.add(id + (s == null ? " (unknown)" : " (" + s + ")"));
        }
      }
      return unknown.isEmpty();
    });
    r.check(KNOWN, held, held ? rig.taskProcesses().size() + " task processes, all listed live by the leader"
        : unknown.size() + " not known as live, e.g. " + first(unknown));
  }

  /**
   * The app runs exactly {@code instances} task processes on the agents' hosts, and every task
   * process there was written to the ledger (none started behind the rig's back).
   */
  public static void appWhole(Rig rig, Result r, String appId, int instances, Duration recovery) {
    Map<String, String> slotOf = new HashMap<>();
    for (Ledger.Entry e : rig.ledger().entries()) {
      slotOf.put(e.taskId(), e.slot());
    }
    long live = rig.taskProcesses().keySet().stream().filter(id -> appId.equals(slotOf.get(id))).count();
    long unlogged = rig.taskProcesses().keySet().stream().filter(id -> !slotOf.containsKey(id)).count();
    r.check(NO_ORPHANS, live == instances && unlogged == 0, recovery,
        live + " live processes of " + appId + " for " + instances + " instances"
            + (unlogged == 0 ? "" : ", " + unlogged + " task processes not in the ledger"));
  }

  /** The master lists every task the services framework had running before the fault as running again. */
  public static void notLost(Rig rig, Result r, Set<String> before, Duration recovery) {
    Map<String, String> states = taskStates(rig);
    List<String> lost = new ArrayList<>();
    for (String id : before) {
      if (!"RUNNING".equals(states.get(id))) {
        lost.add(id + " (" + states.getOrDefault(id, "unknown") + ")");
      }
    }
    r.check(NOT_LOST, lost.isEmpty(), recovery, lost.isEmpty() ? before.size() + " tasks running before, all running after"
        : lost.size() + " of " + before.size() + " not running, e.g. " + first(lost));
  }

  /** Task id to state, from the leading master. */
  public static Map<String, String> taskStates(Rig rig) {
    Map<String, String> out = new HashMap<>();
    JsonNode tasks = rig.state().path("tasks");
    tasks.forEach(t -> out.put(t.path("id").asText(), t.path("state").asText()));
    return out;
  }

  /** Ids of the tasks the leader lists as running for an app. */
  public static Set<String> running(Rig rig, String appId) {
    Set<String> out = new java.util.TreeSet<>();
    rig.state().path("tasks").forEach(t -> {
      if ("RUNNING".equals(t.path("state").asText()) && appId.equals(t.path("name").asText())) {
        out.add(t.path("id").asText());
      }
    });
    return out;
  }

  /** Whether a task in {@code state} has ended. */
  public static boolean terminal(String state) {
    return Set.of("FINISHED", "FAILED", "KILLED", "LOST", "GONE", "ERROR").contains(state);
  }

  /** Whether {@code check} comes to hold within {@code settle}: a verdict, not a failure of the scenario. */
  public static boolean settles(Duration settle, java.util.concurrent.Callable<Boolean> check) {
    try {
      Waits.until("the check to hold", settle, check);
      return true;
    } catch (Waits.TimedOut e) {
      return false;
    }
  }

  private static String first(java.util.Collection<String> c) {
    return c.isEmpty() ? "-" : c.iterator().next();
  }
}
