package io.trellis.jobs.store;

import io.trellis.jobs.job.Job;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the engine's thread off ZooKeeper round trips: updates of runs and statuses are written
 * in order by one writer thread, while the engine goes on. What must be durable before anything
 * else happens stays synchronous: run records are created before the call returns, so a slot is
 * recorded before its launch; jobs are written after every queued write. Reads wait for queued
 * writes. {@link #afterWrites} runs an action once everything queued before it is
 * stored: status updates are acknowledged to the master only then. A write refused because a
 * newer leader took over ({@link FencedException}) is not retried.
 */
public final class WriteBehindJobStore implements JobStore, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteBehindJobStore.class);
  private final JobStore store;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "trellis-jobs-store");
    t.setDaemon(true);
    return t;
  });

  /** Set once a write was refused for a newer leader's epoch. */
  private volatile boolean fenced;

  public WriteBehindJobStore(JobStore store) {
    this.store = store;
  }

  private void later(String what, Runnable write) {
    writer.execute(() -> {
      for (int attempt = 1; ; attempt++) {
        try {
          write.run();
          return;
        } catch (FencedException e) {
          if (!fenced) {
            log.warn("{}; later writes of this instance are dropped", e.getMessage());
          }
          fenced = true;
          return;
        } catch (RuntimeException e) {
          if (attempt >= 5) {
            log.error("cannot {} after {} attempts: {}", what, attempt, e.getMessage());
            return;
          }
          log.warn("cannot {} ({}); retrying", what, e.getMessage());
          try {
            Thread.sleep(200L * attempt);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    });
  }

  /** Waits until every write queued so far is stored. */
  public void flush() {
    Future<?> done = writer.submit(() -> { });
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job store");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the job store did not finish its writes: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code action} on the writer thread once every write queued before it is stored; never
   * once a write was refused because a newer leader took over.
   */
  public void afterWrites(Runnable action) {
    writer.execute(() -> {
      if (!fenced) {
        action.run();
      }
    });
  }

  @Override
  public Map<String, Job> jobs() {
    flush();
    return store.jobs();
  }

  @Override
  public void putJob(Job job) {
    flush();
    store.putJob(job);
  }

  @Override
  public void deleteJob(String name) {
    flush();
    store.deleteJob(name);
  }

  @Override
  public Optional<JobStatus> status(String name) {
    flush();
    return store.status(name);
  }

  @Override
  public void putStatus(String name, JobStatus status) {
    later("store the status of job " + name, () -> store.putStatus(name, status));
  }

  /**
   * Synchronous, without waiting for queued writes: new run records never depend on updates of
   * other runs, and a slot must not wait behind a backlog of status updates.
   */
  @Override
  public List<Run> createRuns(List<Run> runs) {
    return store.createRuns(runs);
  }

  @Override
  public void putRun(Run run) {
    later("store run " + run.taskId(), () -> store.putRun(run));
  }

  @Override
  public void deleteRun(Run run) {
    later("delete run " + run.taskId(), () -> store.deleteRun(run));
  }

  @Override
  public List<Run> runs(String job) {
    flush();
    return store.runs(job);
  }

  @Override
  public Optional<String> frameworkId() {
    return store.frameworkId();
  }

  @Override
  public void putFrameworkId(String id) {
    store.putFrameworkId(id);
  }

  @Override
  public void close() {
    try {
      flush();
    } catch (IllegalStateException e) {
      log.warn("closing the job store: {}", e.getMessage());
    }
    writer.shutdownNow();
  }
}
