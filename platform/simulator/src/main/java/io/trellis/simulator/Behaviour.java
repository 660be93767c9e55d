package io.trellis.simulator;

import io.trellis.api.TaskSpec;
import io.trellis.api.TaskState;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a simulated task does once launched: it reports RUNNING at once (no STARTING: nothing starts) and then
 * runs until killed, or ends by itself after a while, or fails at launch.
 *
 * @param end {@code null} to run until killed; {@link TaskState#FINISHED} or {@link
 *     TaskState#FAILED} to end by itself
 * @param after how long the task runs before it ends; {@code null} with FAILED: it fails at launch,
 *     never RUNNING
 * @param message the message of the final update, or null
 */
public record Behaviour(TaskState end, Duration after, String message) {
  /** Label naming how a task ends: {@code finish}, {@code fail} or {@code fail-at-launch}. */
  public static final String END_LABEL = "simulator.end";
  /** Label giving the seconds a task runs before it ends, such as {@code 2.5}. */
  public static final String AFTER_LABEL = "simulator.after";

  public Behaviour {
    if (end != null && end != TaskState.FINISHED && end != TaskState.FAILED) {
      throw new IllegalArgumentException("a simulated task ends FINISHED or FAILED, not " + end);
    }
    if (after != null && after.isNegative()) {
      throw new IllegalArgumentException("a simulated task cannot run for a negative time: " + after);
    }
    if (end == TaskState.FINISHED && after == null) {
      throw new IllegalArgumentException("a simulated task that finishes needs a running time");
    }
  }

  public static Behaviour runForever() {
    return new Behaviour(null, null, null);
  }

  public static Behaviour finishAfter(Duration d) {
    return new Behaviour(TaskState.FINISHED, d, "simulated task finished");
  }

  public static Behaviour failAfter(Duration d) {
    return new Behaviour(TaskState.FAILED, d, "simulated task failed");
  }

  public static Behaviour failAtLaunch() {
    return new Behaviour(TaskState.FAILED, null, "simulated launch failure");
  }

  /** Whether the task fails before it runs. */
  public boolean failsAtLaunch() {
    return end == TaskState.FAILED && after == null;
  }

  /**
   * Reads each task's labels ({@value #END_LABEL}, {@value #AFTER_LABEL}), so a framework chooses
   * per task without touching the simulator; tasks without them get {@code otherwise}. A task
   * with unreadable labels fails at launch with a message naming the label and its value.
   */
  public static Function<TaskSpec, Behaviour> byLabels(Behaviour otherwise) {
    return task -> {
      String end = task.labels().get(END_LABEL);
      String after = task.labels().get(AFTER_LABEL);
      if (end == null && after == null) {
        return otherwise;
      }
      Duration runFor;
      try {
        runFor = after == null ? Duration.ZERO : Duration.ofNanos((long) (Double.parseDouble(after) * 1e9));
      } catch (NumberFormatException e) {
        return new Behaviour(TaskState.FAILED, null, "label " + AFTER_LABEL + " must be a number of seconds, got '" + after + "'");
      }
      if (runFor.isNegative()) {
        return new Behaviour(TaskState.FAILED, null, "label " + AFTER_LABEL + " must be >= 0, got '" + after + "'");
      }
      return switch (end == null ? "finish" : end.toLowerCase(Locale.ROOT)) {
        case "finish" -> finishAfter(runFor);
        case "fail" -> failAfter(runFor);
        case "fail-at-launch" -> failAtLaunch();
        case "never" -> runForever();
        default -> new Behaviour(TaskState.FAILED, null, "label " + END_LABEL
            + " must be finish, fail, fail-at-launch or never, got '" + end + "'");
      };
    };
  }
}
