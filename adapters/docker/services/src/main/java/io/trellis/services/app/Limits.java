package io.trellis.services.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.api.Json;
import java.util.List;

/**
 * Upper bounds of an app definition, checked before anything is stored: sizes no machine has,
 * counts no cluster runs, delays longer than a year, and a stored definition small enough for
 * one ZooKeeper node (with the previous definition beside it in a deployment).
 */
public final class Limits {
  public static final int MAX_INSTANCES = 100_000;
  static final double MAX_CPUS = 100_000;
  /** MiB: a pebibyte. */
  static final double MAX_MEM = 1024.0 * 1024 * 1024;
  /** MiB: an exbibyte. */
  static final double MAX_DISK = 1024.0 * 1024 * 1024 * 1024;
  static final int MAX_GPUS = 10_000;
  static final double MAX_SECONDS = 365 * 24 * 3600;
  static final double MAX_BACKOFF_FACTOR = 100;
  /** The stored JSON of one definition. */
  static final int MAX_DEFINITION_BYTES = 256 * 1024;

  private Limits() {}

  static void check(AppDefinition app, List<FieldError> errors) {
    max(errors, "$.instances", app.instances(), MAX_INSTANCES);
    max(errors, "$.cpus", app.cpus(), MAX_CPUS);
    max(errors, "$.mem", app.mem(), MAX_MEM);
    max(errors, "$.disk", app.disk(), MAX_DISK);
    max(errors, "$.gpus", app.gpus(), MAX_GPUS);
    max(errors, "$.backoffSeconds", app.backoffSeconds(), MAX_SECONDS);
    max(errors, "$.backoffFactor", app.backoffFactor(), MAX_BACKOFF_FACTOR);
    max(errors, "$.maxLaunchDelaySeconds", app.maxLaunchDelaySeconds(), MAX_SECONDS);
    max(errors, "$.taskKillGracePeriodSeconds", app.taskKillGracePeriodSeconds(), MAX_SECONDS);
    if (app.priority() != null && (app.priority() < io.trellis.api.FrameworkInfo.MIN_PRIORITY
        || app.priority() > io.trellis.api.FrameworkInfo.MAX_PRIORITY)) {
      errors.add(new FieldError("$.priority", app.priority() + " is outside the range "
          + io.trellis.api.FrameworkInfo.MIN_PRIORITY + " to " + io.trellis.api.FrameworkInfo.MAX_PRIORITY));
    }
    for (int i = 0; i < app.healthChecks().size(); i++) {
      HealthCheck h = app.healthChecks().get(i);
      String at = "$.healthChecks[" + i + "]";
      max(errors, at + ".gracePeriodSeconds", h.gracePeriodSeconds(), MAX_SECONDS);
      max(errors, at + ".intervalSeconds", h.intervalSeconds(), MAX_SECONDS);
      max(errors, at + ".timeoutSeconds", h.timeoutSeconds(), MAX_SECONDS);
      max(errors, at + ".delaySeconds", h.delaySeconds(), MAX_SECONDS);
    }
    UnreachableStrategy u = app.unreachable();
    if (u.enabled()) {
      max(errors, "$.unreachableStrategy.inactiveAfterSeconds", u.inactiveAfterSeconds(), MAX_SECONDS);
      max(errors, "$.unreachableStrategy.expungeAfterSeconds", u.expungeAfterSeconds(), MAX_SECONDS);
    }
    if (errors.isEmpty()) {
      try {
        int bytes = Json.mapper().writeValueAsBytes(app).length;
        if (bytes > MAX_DEFINITION_BYTES) {
          errors.add(new FieldError("$", "the definition is " + bytes / 1024 + " KiB as stored, more than "
              + MAX_DEFINITION_BYTES / 1024 + " KiB: move large values (commands, environment) into files"));
        }
      } catch (JsonProcessingException e) {
        errors.add(new FieldError("$", "cannot be stored: " + e.getOriginalMessage()));
      }
    }
  }

  private static void max(List<FieldError> errors, String path, Number value, double max) {
    if (value != null && value.doubleValue() > max) {
      errors.add(new FieldError(path, value + " is above the maximum "
          + (max == Math.rint(max) ? Long.toString((long) max) : Double.toString(max))));
    }
  }
}
