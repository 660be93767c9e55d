package io.trellis.jobs.http;

import io.trellis.jobs.run.Run;
import java.time.Instant;
import java.util.List;

/** A run as the API shows it: instants in ISO 8601, the duration in milliseconds. */
public record RunView(String job, String slot, String trigger, String state, int attempts, String taskId,
    String created, String started, String finished, Long durationMs, Integer exitStatus, String agentId,
    String message, List<String> arguments) {

  static RunView of(Run r) {
    Long duration = r.started() != null && r.finished() != null ? r.finished() - r.started() : null;
    return new RunView(r.job(), iso(r.slot()), r.trigger().name(), r.state().name(), r.attempt(), r.taskId(),
        iso(r.created()), iso(r.started()), iso(r.finished()), duration, r.exitCode(), r.agentId(), r.message(),
        r.arguments().isEmpty() ? null : r.arguments());
  }

  private static String iso(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }
}
