package io.trellis.simulate;

import io.trellis.core.resource.Resources;
import io.trellis.core.role.Role;

/**
 * One line of a trace: {@code count} identical tasks that a framework submits under a role at
 * {@code submitMillis}, each holding {@code shape} for {@code durationMillis} once placed.
 *
 * @param gang 0 for independent tasks; otherwise all-or-nothing: nothing runs until at least
 *     {@code gang} of the {@code count} tasks can be placed together
 * @param priority higher first among the framework's waiting tasks, and preempted last
 */
public record TaskGroup(long submitMillis, String role, String framework, Resources shape, int count,
    long durationMillis, int gang, int priority) {
  /** Ten years: later submit times or durations are taken for a unit mistake. */
  public static final long MAX_MILLIS = 10L * 365 * 24 * 3600 * 1000;
  public static final int MAX_COUNT = 1_000_000;
  public static final int MAX_NAME = 200;
  /** Larger amounts of one resource in one task are taken for a unit mistake. */
  public static final double MAX_AMOUNT = 1e9;

  public TaskGroup {
    if (submitMillis < 0 || submitMillis > MAX_MILLIS) {
      throw new IllegalArgumentException("submit time must be from 0 to " + MAX_MILLIS / 1000 + " s, got "
          + submitMillis / 1000.0 + " s");
    }
    Role.validate(role);
    if (framework == null || framework.isBlank() || framework.length() > MAX_NAME) {
      throw new IllegalArgumentException("framework name must have 1 to " + MAX_NAME + " characters, got "
          + (framework == null ? 0 : framework.length()));
    }
    if (shape == null || shape.scalars().isEmpty()) {
      throw new IllegalArgumentException("task shape needs at least one of cpus, mem, gpus, disk");
    }
    shape = shape.scalars();
    for (var r : shape.entries()) {
      if (!(r.amount() <= MAX_AMOUNT)) {
        throw new IllegalArgumentException(r.name() + " of a task must be at most " + (long) MAX_AMOUNT + ", got "
            + r.amount());
      }
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException("count must be from 1 to " + MAX_COUNT + ", got " + count);
    }
    if (durationMillis < 0 || durationMillis > MAX_MILLIS) {
      throw new IllegalArgumentException("duration must be from 0 to " + MAX_MILLIS / 1000 + " s, got "
          + durationMillis / 1000.0 + " s");
    }
    if (gang < 0 || gang > count) {
      throw new IllegalArgumentException("gang must be from 0 (none) to the count " + count + ", got " + gang);
    }
  }
}
