package io.trellis.spark.offer;

import io.trellis.api.SchedulerCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code spark.trellis.gang=true}: the application's executors asked of Trellis as one gang, all
 * of them offered together once all fit ({@code minMember} = every executor), instead of taking
 * offers piecemeal.
 *
 * @param executors how many executors form the gang
 * @param timeoutSeconds how long the gang may wait ({@code spark.trellis.gang.timeout})
 * @param mode what happens at the timeout ({@code spark.trellis.gang.mode}): SOFT, executors then
 *     come from ordinary offers; HARD, the application fails
 */
public record ExecutorGang(int executors, double timeoutSeconds, SchedulerCall.GangMode mode) {
  public static final String ENABLED = "spark.trellis.gang";
  public static final String TIMEOUT = "spark.trellis.gang.timeout";
  public static final String MODE = "spark.trellis.gang.mode";
  /** The demand's id, named by the gang's offers. */
  public static final String DEMAND_ID = "executors";

  public ExecutorGang {
    if (executors < 1) {
      throw new IllegalArgumentException(ENABLED + "=true needs at least 1 executor, not " + executors);
    }
    if (!(timeoutSeconds >= 0 && timeoutSeconds <= 604_800)) {
      throw new IllegalArgumentException(TIMEOUT + " must be from 0 to 604800 s (7 days), not " + timeoutSeconds + " s");
    }
  }

  /**
   * The gang of an application: {@code spark.executor.instances} executors, or as many as
   * {@code spark.cores.max} holds (the fewer when both are set).
   *
   * @param instances {@code spark.executor.instances}, or null when not set
   * @param maxCores {@code spark.cores.max}, {@link Integer#MAX_VALUE} when not set
   */
  public static ExecutorGang of(Integer instances, int maxCores, int executorCores, boolean dynamicAllocation,
      double timeoutSeconds, String mode) {
    if (dynamicAllocation) {
      throw new IllegalArgumentException(ENABLED + "=true needs a fixed number of executors:"
          + " turn off spark.dynamicAllocation.enabled");
    }
    int executors = Integer.MAX_VALUE;
    if (instances != null) {
      executors = instances;
    }
    if (maxCores != Integer.MAX_VALUE) {
      executors = Math.min(executors, maxCores / executorCores);
    }
    if (executors == Integer.MAX_VALUE) {
      throw new IllegalArgumentException(ENABLED + "=true needs to know how many executors form the gang:"
          + " set spark.executor.instances or spark.cores.max (--total-executor-cores)");
    }
    SchedulerCall.GangMode m;
    try {
      m = SchedulerCall.GangMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(MODE + " must be SOFT or HARD, not '" + mode + "'", e);
    }
    return new ExecutorGang(executors, timeoutSeconds, m);
  }

  /** The REQUEST's demand: every executor a member of {@code size}, all of them needed. */
  public SchedulerCall.Demand demand(String role, ExecutorSize size, Constraints constraints) {
    return new SchedulerCall.Demand(DEMAND_ID, role, size.resources(), executors, rules(constraints),
        new SchedulerCall.Gang(executors, timeoutSeconds, mode));
  }

  /** The agent-attribute constraints as the demand's rules, by attribute name: each attribute LIKE one of its values. */
  static List<List<String>> rules(Constraints constraints) {
    List<List<String>> out = new ArrayList<>();
    for (Map.Entry<String, Set<String>> c : new java.util.TreeMap<>(constraints.required()).entrySet()) {
      String regex = c.getValue().isEmpty() ? ".*"
          : c.getValue().stream().sorted().map(Pattern::quote).collect(Collectors.joining("|"));
      out.add(List.of(c.getKey(), "LIKE", regex));
    }
    return out;
  }
}
