package io.trellis.jobs.store;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of the jobs framework, its source of truth: one record per job, per job
 * status and per run. Only the leading instance writes.
 */
public interface JobStore {
  /** Every stored job definition by name. */
  Map<String, Job> jobs();

  void putJob(Job job);

  /** Removes the job, its status and its runs. */
  void deleteJob(String name);

  Optional<JobStatus> status(String name);

  void putStatus(String name, JobStatus status);

  /**
   * Records runs that are not recorded yet, all before any is launched. A run whose key (job,
   * slot, trigger) is already recorded is left alone and not returned.
   *
   * @return the runs this call created
   */
  List<Run> createRuns(List<Run> runs);

  /** Overwrites a recorded run. */
  void putRun(Run run);

  void deleteRun(Run run);

  /** Every recorded run of the job, oldest slot first. */
  List<Run> runs(String job);

  Optional<String> frameworkId();

  void putFrameworkId(String id);
}
