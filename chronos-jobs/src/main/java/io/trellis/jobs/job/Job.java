package io.trellis.jobs.job;

import java.util.List;
import java.util.Map;

/**
 * A job definition with Chronos's field names, as the {@code /v1/scheduler} API reads and writes
 * it. The last five fields are read-only: the API fills them in from the job's history and
 * ignores them on input.
 *
 * <p>Beyond Chronos: {@code schedule} may be {@code cron: <expression>} (or the expression may
 * come in {@code cron}), {@code concurrencyPolicy} is ALLOW, FORBID or REPLACE (default: ALLOW
 * when {@code concurrent}, else FORBID), {@code missedRunPolicy} is SKIP, RUN_ONCE or CATCH_UP
 * (default RUN_ONCE) with {@code catchUpLimit} runs at most. {@code priority} (an integer from
 * -1000000000 to 1000000000, default 0) orders the job's tasks for preemption, lowest taken first;
 * {@code preemptible: false} keeps them from ever being preempted.
 */
public record Job(String name, String command, List<String> arguments, Boolean shell, String schedule,
    String scheduleTimeZone, String cron, List<String> parents, String epsilon, Integer retries,
    Boolean async, Boolean disabled, Boolean concurrent, Double cpus, Double mem, Double disk,
    Container container, List<EnvironmentVariable> environmentVariables, List<Fetch> fetch,
    List<String> uris, String owner, String ownerName, String description, String runAsUser,
    List<List<String>> constraints, String concurrencyPolicy, String missedRunPolicy,
    Integer catchUpLimit,
    Long successCount, Long errorCount, String lastSuccess, String lastError,
    Long errorsSinceLastSuccess, java.math.BigDecimal priority, Boolean preemptible) {

  public Job {
    arguments = arguments == null ? List.of() : List.copyOf(arguments);
    parents = parents == null ? List.of() : List.copyOf(parents);
    environmentVariables = environmentVariables == null ? List.of() : List.copyOf(environmentVariables);
    fetch = fetch == null ? List.of() : List.copyOf(fetch);
    uris = uris == null ? List.of() : List.copyOf(uris);
    constraints = constraints == null ? List.of() : constraints.stream().map(c -> c == null ? List.<String>of() : c)
        .map(java.util.ArrayList::new).map(List::copyOf).toList();
  }

  /** A job without a priority or preemptibility of its own. */
  public Job(String name, String command, List<String> arguments, Boolean shell, String schedule,
      String scheduleTimeZone, String cron, List<String> parents, String epsilon, Integer retries,
      Boolean async, Boolean disabled, Boolean concurrent, Double cpus, Double mem, Double disk,
      Container container, List<EnvironmentVariable> environmentVariables, List<Fetch> fetch,
      List<String> uris, String owner, String ownerName, String description, String runAsUser,
      List<List<String>> constraints, String concurrencyPolicy, String missedRunPolicy,
      Integer catchUpLimit, Long successCount, Long errorCount, String lastSuccess, String lastError,
      Long errorsSinceLastSuccess) {
    this(name, command, arguments, shell, schedule, scheduleTimeZone, cron, parents, epsilon, retries, async,
        disabled, concurrent, cpus, mem, disk, container, environmentVariables, fetch, uris, owner, ownerName,
        description, runAsUser, constraints, concurrencyPolicy, missedRunPolicy, catchUpLimit, successCount,
        errorCount, lastSuccess, lastError, errorsSinceLastSuccess, null, null);
  }

  /** The priority of the job's tasks, or null for the jobs framework's; valid once validated. */
  public Integer taskPriority() {
    return priority == null ? null : priority.intValueExact();
  }

  /** Chronos's Docker container: {@code {"type":"DOCKER","image":..,"network":"BRIDGE",..}}. */
  public record Container(String type, String image, String network, List<Volume> volumes,
      Boolean forcePullImage, List<Parameter> parameters) {
    public Container {
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
      parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
  }

  public record Volume(String containerPath, String hostPath, String mode) {}

  public record Parameter(String key, String value) {}

  /**
   * An environment variable of the job's tasks.
   *
   * @param secret {@code true}: the value is a secret, passed to the tasks but never shown (read
   *     APIs show the name only, logs and {@link #toString} hide it); an update that sends a secret
   *     variable without a value keeps the stored one
   */
  public record EnvironmentVariable(String name, String value, Boolean secret) {
    public EnvironmentVariable(String name, String value) {
      this(name, value, null);
    }

    public boolean isSecret() {
      return Boolean.TRUE.equals(secret);
    }

    /** This variable as read APIs show it: a secret without its value. */
    public EnvironmentVariable shown() {
      return isSecret() ? new EnvironmentVariable(name, null, true) : this;
    }

    @Override
    public String toString() {
      return "EnvironmentVariable[name=" + name + ", value=" + (isSecret() ? "(secret)" : value) + "]";
    }
  }

  public record Fetch(String uri, Boolean executable, Boolean extract, Boolean cache) {}

  public boolean isDependent() {
    return !parents.isEmpty();
  }

  public boolean isDisabled() {
    return Boolean.TRUE.equals(disabled);
  }

  public boolean isAsync() {
    return Boolean.TRUE.equals(async);
  }

  public int retryCount() {
    return retries == null ? 2 : retries;
  }

  /** The schedule text to parse: {@code schedule}, or {@code cron: <cron>} when only cron is set. */
  public String scheduleText() {
    if ((schedule == null || schedule.isBlank()) && cron != null && !cron.isBlank()) {
      return "cron: " + cron.strip();
    }
    return schedule;
  }

  public ConcurrencyPolicy concurrencyPolicyOrDefault() {
    if (concurrencyPolicy != null && !concurrencyPolicy.isBlank()) {
      return ConcurrencyPolicy.valueOf(concurrencyPolicy.strip().toUpperCase(java.util.Locale.ROOT));
    }
    return Boolean.TRUE.equals(concurrent) ? ConcurrencyPolicy.ALLOW : ConcurrencyPolicy.FORBID;
  }

  public MissedRunPolicy missedRunPolicyOrDefault() {
    if (missedRunPolicy != null && !missedRunPolicy.isBlank()) {
      return MissedRunPolicy.valueOf(missedRunPolicy.strip().toUpperCase(java.util.Locale.ROOT));
    }
    return MissedRunPolicy.RUN_ONCE;
  }

  public int catchUpLimitOrDefault() {
    return catchUpLimit == null ? 10 : catchUpLimit;
  }

  public java.time.Duration epsilonOrDefault() {
    return epsilon == null || epsilon.isBlank() ? java.time.Duration.ofSeconds(60) : java.time.Duration.parse(epsilon.strip());
  }

  public Map<String, String> environment() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (EnvironmentVariable v : environmentVariables) {
      env.put(v.name(), v.value() == null ? "" : v.value());
    }
    return env;
  }

  /** The names of the secret environment variables. */
  public List<String> secretEnvironment() {
    return environmentVariables.stream().filter(v -> v != null && v.isSecret()).map(EnvironmentVariable::name)
        .toList();
  }

  /** This job as read APIs show it: secret environment values left out. */
  public Job shown() {
    if (secretEnvironment().isEmpty()) {
      return this;
    }
    return withEnvironment(environmentVariables.stream().map(v -> v == null ? null : v.shown()).toList());
  }

  /**
   * This job with the stored values of its secret variables that came without one ({@code
   * stored} is the job as it was, or null).
   */
  public Job withSecretsOf(Job stored) {
    if (stored == null || environmentVariables.stream().noneMatch(v -> v != null && v.isSecret() && v.value() == null)) {
      return this;
    }
    Map<String, String> kept = stored.environment();
    return withEnvironment(environmentVariables.stream().map(v -> v != null && v.isSecret() && v.value() == null
        && stored.secretEnvironment().contains(v.name()) ? new EnvironmentVariable(v.name(), kept.get(v.name()), true)
        : v).toList());
  }

  private Job withEnvironment(List<EnvironmentVariable> env) {
    return new Job(name, command, arguments, shell, schedule, scheduleTimeZone, cron, parents, epsilon,
        retries, async, disabled, concurrent, cpus, mem, disk, container, env, fetch, uris,
        owner, ownerName, description, runAsUser, constraints, concurrencyPolicy, missedRunPolicy,
        catchUpLimit, successCount, errorCount, lastSuccess, lastError, errorsSinceLastSuccess, priority,
        preemptible);
  }

  /** This definition without the read-only fields, as it is stored. */
  public Job definition() {
    return withStats(null, null, null, null, null);
  }

  public Job withSchedule(String newSchedule) {
    return new Job(name, command, arguments, shell, newSchedule, scheduleTimeZone, cron, parents, epsilon,
        retries, async, disabled, concurrent, cpus, mem, disk, container, environmentVariables, fetch, uris,
        owner, ownerName, description, runAsUser, constraints, concurrencyPolicy, missedRunPolicy,
        catchUpLimit, successCount, errorCount, lastSuccess, lastError, errorsSinceLastSuccess, priority,
        preemptible);
  }

  public Job withStats(Long successes, Long errors, String lastSuccessAt, String lastErrorAt, Long errorsSince) {
    return new Job(name, command, arguments, shell, schedule, scheduleTimeZone, cron, parents, epsilon,
        retries, async, disabled, concurrent, cpus, mem, disk, container, environmentVariables, fetch, uris,
        owner, ownerName, description, runAsUser, constraints, concurrencyPolicy, missedRunPolicy,
        catchUpLimit, successes, errors, lastSuccessAt, lastErrorAt, errorsSince, priority, preemptible);
  }
}
