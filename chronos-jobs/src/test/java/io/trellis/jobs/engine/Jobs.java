package io.trellis.jobs.engine;

import io.trellis.jobs.job.Job;
import java.util.List;

/** Job definitions for tests. */
final class Jobs {
  private Jobs() {}

  static Job scheduled(String name, String schedule) {
    return scheduled(name, schedule, null, null, null);
  }

  static Job scheduled(String name, String schedule, String timeZone, String concurrency, String missed) {
    return new Job(name, "echo " + name, null, null, schedule, timeZone, null, null, null, 0, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, concurrency, missed, 3,
        null, null, null, null, null);
  }

  static Job withRetries(Job j, int retries) {
    return new Job(j.name(), j.command(), j.arguments(), j.shell(), j.schedule(), j.scheduleTimeZone(), j.cron(),
        j.parents(), j.epsilon(), retries, j.async(), j.disabled(), j.concurrent(), j.cpus(), j.mem(), j.disk(),
        j.container(), j.environmentVariables(), j.fetch(), j.uris(), j.owner(), j.ownerName(), j.description(),
        j.runAsUser(), j.constraints(), j.concurrencyPolicy(), j.missedRunPolicy(), j.catchUpLimit(), null, null,
        null, null, null);
  }

  static Job async(Job j) {
    return new Job(j.name(), j.command(), j.arguments(), j.shell(), j.schedule(), j.scheduleTimeZone(), j.cron(),
        j.parents(), j.epsilon(), j.retries(), true, j.disabled(), j.concurrent(), j.cpus(), j.mem(), j.disk(),
        j.container(), j.environmentVariables(), j.fetch(), j.uris(), j.owner(), j.ownerName(), j.description(),
        j.runAsUser(), j.constraints(), j.concurrencyPolicy(), j.missedRunPolicy(), j.catchUpLimit(), null, null,
        null, null, null);
  }

  static Job dependent(String name, String... parents) {
    return new Job(name, "echo " + name, null, null, null, null, null, List.of(parents), null, 0, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }
}
