package io.trellis.jobs.job;

import io.trellis.api.ErrorBody.FieldError;
import io.trellis.jobs.schedule.InvalidScheduleException;
import io.trellis.jobs.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a job definition against the jobs already stored and lists every invalid field by JSON
 * path: bad schedules and time zones, unknown parents, dependency cycles, bad resources,
 * policies and containers.
 */
public final class JobValidator {
  /** Chronos's job names: word characters, blanks, '.', '#' and '-'. */
  private static final Pattern NAME = Pattern.compile("[\\w .#-]{1,200}");
  private static final Set<String> OPERATORS = Set.of("EQUALS", "LIKE", "UNLIKE");
  /** The most cpus, MB of memory or MB of disk one run may ask for: beyond any agent. */
  static final double MAX_AMOUNT = 1e9;
  static final int MAX_RETRIES = 1000;
  private static final int MAX_MESSAGE = 300;
  static final int MAX_CATCH_UP = 10_000;
  /** The longest epsilon: beyond it a missed slot is never late. */
  static final Duration MAX_EPSILON = Duration.ofDays(366);

  private JobValidator() {}

  /**
   * @param existing looks a stored job up by name, null if none (the job itself may be stored: an update)
   * @param dependent whether the job came through the {@code dependency} endpoint
   */
  public static List<FieldError> validate(Job job, Function<String, Job> existing, boolean dependent, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    if (job.name() == null || job.name().isBlank()) {
      errors.add(new FieldError("$.name", "required"));
    } else if (job.name().matches("\\.+")) {
      // "." and ".." cannot name a node in the store, nor a directory.
      errors.add(new FieldError("$.name", "'" + shortened(job.name()) + "' is not a job name: it needs a letter or digit"));
    } else if (!NAME.matcher(job.name()).matches() || !job.name().equals(job.name().strip())) {
      errors.add(new FieldError("$.name", "'" + shortened(job.name()) + "' (" + job.name().length()
          + " characters) is not a job name: use letters, digits, '_', '-', '.', '#' and inner blanks, at most 200"));
    }
    boolean docker = job.container() != null;
    if (job.command() == null || (job.command().isBlank() && !docker)) {
      errors.add(new FieldError("$.command", "required (it may be empty only for a container job)"));
    }
    if (dependent && job.parents().isEmpty()) {
      errors.add(new FieldError("$.parents", "a dependent job needs at least one parent"));
    }
    if (job.parents().isEmpty()) {
      schedule(job, now, errors);
    }
    parents(job, existing, errors);
    if (job.epsilon() != null && !job.epsilon().isBlank()) {
      try {
        Duration epsilon = Duration.parse(job.epsilon().strip());
        if (epsilon.isNegative()) {
          errors.add(new FieldError("$.epsilon", "'" + job.epsilon() + "' is negative"));
        } else if (epsilon.compareTo(MAX_EPSILON) > 0) {
          errors.add(new FieldError("$.epsilon", "'" + job.epsilon() + "' is longer than " + MAX_EPSILON));
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        errors.add(new FieldError("$.epsilon", "'" + job.epsilon() + "' is not an ISO 8601 duration such as PT60S"));
      }
    }
    if (job.retries() != null && (job.retries() < 0 || job.retries() > MAX_RETRIES)) {
      errors.add(new FieldError("$.retries", "must be 0 to " + MAX_RETRIES + ", was " + job.retries()));
    }
    priority(job.priority(), errors);
    amount("$.cpus", job.cpus(), false, errors);
    amount("$.mem", job.mem(), false, errors);
    amount("$.disk", job.disk(), true, errors);
    oneOf("$.concurrencyPolicy", job.concurrencyPolicy(), ConcurrencyPolicy.values(), errors);
    oneOf("$.missedRunPolicy", job.missedRunPolicy(), MissedRunPolicy.values(), errors);
    if (job.catchUpLimit() != null && (job.catchUpLimit() < 1 || job.catchUpLimit() > MAX_CATCH_UP)) {
      errors.add(new FieldError("$.catchUpLimit", "must be 1 to " + MAX_CATCH_UP + ", was " + job.catchUpLimit()));
    }
    container(job.container(), errors);
    for (int i = 0; i < job.environmentVariables().size(); i++) {
      Job.EnvironmentVariable v = job.environmentVariables().get(i);
      if (v == null || v.name() == null || v.name().isBlank()) {
        errors.add(new FieldError("$.environmentVariables[" + i + "].name", "required"));
      } else if (v.isSecret() && v.value() == null) {
        errors.add(new FieldError("$.environmentVariables[" + i + "].value", "required: the secret's value (an"
            + " update may leave it out to keep the stored one)"));
      }
    }
    for (int i = 0; i < job.fetch().size(); i++) {
      Job.Fetch f = job.fetch().get(i);
      if (f == null || f.uri() == null || f.uri().isBlank()) {
        errors.add(new FieldError("$.fetch[" + i + "].uri", "required"));
      }
    }
    for (int i = 0; i < job.constraints().size(); i++) {
      List<String> c = job.constraints().get(i);
      if (c.size() != 3 || c.get(0) == null || c.get(1) == null || c.get(2) == null) {
        errors.add(new FieldError("$.constraints[" + i + "]", "expected [attribute, operator, value]"));
      } else if (!OPERATORS.contains(c.get(1).toUpperCase(Locale.ROOT))) {
        errors.add(new FieldError("$.constraints[" + i + "][1]", "unknown operator '" + c.get(1)
            + "': expected one of " + OPERATORS));
      } else if (!c.get(1).equalsIgnoreCase("EQUALS")) {
        try {
          Pattern.compile(c.get(2));
        } catch (java.util.regex.PatternSyntaxException e) {
          errors.add(new FieldError("$.constraints[" + i + "][2]", "'" + c.get(2) + "' is not a regular expression"));
        }
      }
    }
    // Messages quote the values they refuse: a value of 300k characters is quoted by its start.
    return errors.stream().map(e -> e.message().length() <= MAX_MESSAGE ? e
        : new FieldError(e.path(), e.message().substring(0, MAX_MESSAGE - 3) + "...")).toList();
  }

  /** A value quoted in a message: its start, when it is long. */
  static String shortened(String value) {
    return value.length() <= 64 ? value : value.substring(0, 60) + "...";
  }

  private static void schedule(Job job, Instant now, List<FieldError> errors) {
    String text = job.scheduleText();
    String path = (job.schedule() == null || job.schedule().isBlank()) && job.cron() != null ? "$.cron" : "$.schedule";
    if (text == null || text.isBlank()) {
      errors.add(new FieldError("$.schedule", "required for a job without parents"));
      return;
    }
    if (job.schedule() != null && !job.schedule().isBlank() && job.cron() != null && !job.cron().isBlank()) {
      errors.add(new FieldError("$.cron", "a job has either a schedule or a cron expression, not both: drop one"));
      return;
    }
    try {
      Schedules.zone(job.scheduleTimeZone());
    } catch (InvalidScheduleException e) {
      errors.add(new FieldError("$.scheduleTimeZone", e.getMessage()));
      return;
    }
    try {
      io.trellis.jobs.schedule.Schedule parsed = Schedules.parse(text, job.scheduleTimeZone(), now);
      if (parsed instanceof io.trellis.jobs.schedule.quartz.CronSchedule && nextOf(parsed, now).isEmpty()) {
        // A date that never comes (31 February): stored, the job would wait for ever unseen.
        errors.add(new FieldError(path, "cron expression '" + shortened(text) + "' matches no time to come"));
      }
    } catch (InvalidScheduleException e) {
      errors.add(new FieldError(path, e.getMessage()));
    }
  }

  /** The schedule's next time; none when the schedule library cannot find one. */
  private static java.util.Optional<Instant> nextOf(io.trellis.jobs.schedule.Schedule s, Instant now) {
    try {
      return s.next(now);
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  private static void parents(Job job, Function<String, Job> existing, List<FieldError> errors) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < job.parents().size(); i++) {
      String p = job.parents().get(i);
      if (p == null || p.isBlank()) {
        errors.add(new FieldError("$.parents[" + i + "]", "empty parent name"));
      } else if (!seen.add(p)) {
        errors.add(new FieldError("$.parents[" + i + "]", "parent '" + shortened(p) + "' is named twice"));
      } else if (p.equals(job.name())) {
        errors.add(new FieldError("$.parents[" + i + "]", "a job cannot be its own parent"));
      } else if (existing.apply(p) == null) {
        errors.add(new FieldError("$.parents[" + i + "]", "no job named '" + p + "'"));
      }
    }
    List<String> cycle = cycle(job, existing);
    if (!cycle.isEmpty()) {
      errors.add(new FieldError("$.parents", "dependency cycle " + String.join(" -> ", cycle)));
    }
  }

  /** A cycle through {@code job} if its parents lead back to it, as a path of names; else empty. */
  static List<String> cycle(Job job, Function<String, Job> existing) {
    for (String p : job.parents()) {
      List<String> path = new ArrayList<>();
      path.add(job.name());
      if (reaches(p, job.name(), existing, path, new HashSet<>())) {
        return path;
      }
    }
    return List.of();
  }

  private static boolean reaches(String from, String target, Function<String, Job> jobs, List<String> path, Set<String> seen) {
    path.add(from);
    if (from.equals(target)) {
      return true;
    }
    Job j = jobs.apply(from);
    if (j != null && seen.add(from)) {
      for (String p : j.parents()) {
        if (reaches(p, target, jobs, path, seen)) {
          return true;
        }
      }
    }
    path.remove(path.size() - 1);
    return false;
  }

  /** An integer from -1000000000 to 1000000000 (the range of task priorities). */
  private static void priority(java.math.BigDecimal value, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    boolean integral = value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    if (!integral || value.abs().compareTo(java.math.BigDecimal.valueOf(io.trellis.api.FrameworkInfo.MAX_PRIORITY)) > 0) {
      String shown = value.precision() > 30 ? value.round(new java.math.MathContext(6)).toString() : value.toPlainString();
      errors.add(new FieldError("$.priority", "must be an integer from " + io.trellis.api.FrameworkInfo.MIN_PRIORITY
          + " to " + io.trellis.api.FrameworkInfo.MAX_PRIORITY + ", was " + shown));
    }
  }

  /** A finite resource amount above 0 (or 0 itself when {@code zeroAllowed}), at most {@link #MAX_AMOUNT}. */
  private static void amount(String path, Double value, boolean zeroAllowed, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    if (!Double.isFinite(value)) {
      errors.add(new FieldError(path, "must be a finite number, was " + value));
    } else if (zeroAllowed ? value < 0 : value <= 0) {
      errors.add(new FieldError(path, "must be " + (zeroAllowed ? "0 or more" : "greater than 0") + ", was " + value));
    } else if (value > MAX_AMOUNT) {
      errors.add(new FieldError(path, "must be at most " + (long) MAX_AMOUNT + ", was " + value));
    }
  }

  private static <E extends Enum<E>> void oneOf(String path, String value, E[] values, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return;
    }
    for (E e : values) {
      if (e.name().equalsIgnoreCase(value.strip())) {
        return;
      }
    }
    errors.add(new FieldError(path, "unknown value '" + value + "': expected one of " + List.of(values)));
  }

  private static void container(Job.Container c, List<FieldError> errors) {
    if (c == null) {
      return;
    }
    String type = c.type() == null ? "DOCKER" : c.type().toUpperCase(Locale.ROOT);
    if (!type.equals("DOCKER") && !type.equals("MESOS")) {
      errors.add(new FieldError("$.container.type", "unknown container type '" + c.type() + "': expected DOCKER or MESOS"));
    }
    if (type.equals("DOCKER") && (c.image() == null || c.image().isBlank())) {
      errors.add(new FieldError("$.container.image", "required for a DOCKER container"));
    }
    for (int i = 0; i < c.volumes().size(); i++) {
      Job.Volume v = c.volumes().get(i);
      if (v == null || v.containerPath() == null || v.containerPath().isBlank()) {
        errors.add(new FieldError("$.container.volumes[" + i + "].containerPath", "required"));
      } else if (v.mode() != null && !v.mode().equalsIgnoreCase("RW") && !v.mode().equalsIgnoreCase("RO")) {
        errors.add(new FieldError("$.container.volumes[" + i + "].mode", "'" + v.mode() + "': expected RW or RO"));
      }
    }
  }
}
