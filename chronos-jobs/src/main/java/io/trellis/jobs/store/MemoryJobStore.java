package io.trellis.jobs.store;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A job store in memory, for tests and for one-process trials. */
public final class MemoryJobStore implements JobStore {
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, JobStatus> statuses = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Run>> runs = new ConcurrentHashMap<>();
  private volatile String frameworkId;

  @Override
  public Map<String, Job> jobs() {
    return new TreeMap<>(jobs);
  }

  @Override
  public void putJob(Job job) {
    jobs.put(job.name(), job);
  }

  @Override
  public void deleteJob(String name) {
    jobs.remove(name);
    statuses.remove(name);
    runs.remove(name);
  }

  @Override
  public Optional<JobStatus> status(String name) {
    return Optional.ofNullable(statuses.get(name));
  }

  @Override
  public void putStatus(String name, JobStatus status) {
    statuses.put(name, status);
  }

  @Override
  public synchronized List<Run> createRuns(List<Run> toCreate) {
    List<Run> created = new ArrayList<>();
    for (Run r : toCreate) {
      if (runs.computeIfAbsent(r.job(), k -> new ConcurrentHashMap<>()).putIfAbsent(r.key(), r) == null) {
        created.add(r);
      }
    }
    return created;
  }

  @Override
  public void putRun(Run run) {
    runs.computeIfAbsent(run.job(), k -> new ConcurrentHashMap<>()).put(run.key(), run);
  }

  @Override
  public void deleteRun(Run run) {
    Map<String, Run> m = runs.get(run.job());
    if (m != null) {
      m.remove(run.key());
    }
  }

  @Override
  public List<Run> runs(String job) {
    List<Run> list = new ArrayList<>(runs.getOrDefault(job, Map.of()).values());
    list.sort(Comparator.comparingLong(Run::slot).thenComparingLong(Run::created));
    return list;
  }

  @Override
  public Optional<String> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }

  @Override
  public void putFrameworkId(String id) {
    frameworkId = id;
  }
}
