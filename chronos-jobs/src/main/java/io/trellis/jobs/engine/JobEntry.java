package io.trellis.jobs.engine;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.schedule.Schedule;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/** The engine's view of one job: its definition, parsed schedule, status, active and past runs. */
final class JobEntry {
  Job job;
  /** Null for a dependent job. */
  Schedule schedule;
  JobStatus status;
  /** Runs not finished, by key. */
  final Map<String, Run> active = new LinkedHashMap<>();
  /** Finished runs kept in the history, oldest first. */
  final Deque<Run> finished = new ArrayDeque<>();

  JobEntry(Job job, Schedule schedule, JobStatus status) {
    this.job = job;
    this.schedule = schedule;
    this.status = status;
  }

  String name() {
    return job.name();
  }
}
