package io.trellis.jobs.engine;

import io.trellis.api.TaskState;
import io.trellis.api.TaskStatus;
import io.trellis.core.time.Timer;
import io.trellis.jobs.JobsException;
import io.trellis.jobs.job.ConcurrencyPolicy;
import io.trellis.jobs.job.Job;
import io.trellis.jobs.job.JobValidator;
import io.trellis.jobs.run.JobStatus;
import io.trellis.jobs.run.Run;
import io.trellis.jobs.run.RunState;
import io.trellis.jobs.run.Trigger;
import io.trellis.jobs.schedule.IsoSchedule;
import io.trellis.jobs.schedule.Schedule;
import io.trellis.jobs.schedule.Schedules;
import io.trellis.jobs.store.JobStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling engine of the leading jobs framework. One thread owns it (the framework's event
 * loop, or the test driving a simulated clock): every method must be called on that thread, and
 * the {@link Timer} must run its tasks there.
 *
 * <p>The store is the source of truth. A slot becomes a run record before its task is launched,
 * and the task id derives from the record, so a slot is launched at most once even when a new
 * leader takes over half way.
 */
public final class JobEngine {
  private static final Logger log = LoggerFactory.getLogger(JobEngine.class);
  private final InstantSource clock;
  private final JobStore store;
  private final Launcher launcher;
  private final EngineConfig config;
  private final Timer timer;
  /**
   * How long the master may not know a task of a recorded run before the run counts as lost:
   * after a failover of the master, it learns the tasks as their agents re-register.
   */
  static final java.time.Duration UNKNOWN_GRACE = java.time.Duration.ofSeconds(60);
  private static final java.time.Duration ASK_AGAIN = java.time.Duration.ofSeconds(3);
  /** Tasks the master answered it does not know, since when. */
  private final Map<String, Instant> unknownSince = new HashMap<>();

  private final Map<String, JobEntry> jobs = new TreeMap<>();
  private final Map<String, Run> byTask = new HashMap<>();
  private final Set<String> killRequested = new HashSet<>();
  private final Dependencies dependencies = new Dependencies();
  private final SlotRecorder slots;
  private final Retries retries;

  public JobEngine(InstantSource clock, Timer timer, JobStore store, Launcher launcher, EngineConfig config) {
    this.clock = clock;
    this.store = store;
    this.launcher = launcher;
    this.config = config;
    this.timer = timer;
    this.slots = new SlotRecorder(clock, timer, store, jobs::get, this::launchSlot);
    this.retries = new Retries(clock, timer, config, this::retry);
  }

  // Start: rebuild everything from the store.

  /** Loads the store, reconciles unfinished runs, applies missed-run policies and arms the timer. */
  public void start() {
    Instant now = clock.instant();
    List<String> reconcile = new ArrayList<>();
    for (Job job : store.jobs().values()) {
      JobStatus status = store.status(job.name()).orElse(JobStatus.fresh(now.toEpochMilli()));
      JobEntry e = new JobEntry(job, storedSchedule(job, now), status);
      jobs.put(job.name(), e);
      dependencies.put(job, null);
      for (Run r : store.runs(job.name())) {
        if (r.state() == RunState.PENDING && r.slot() > now.toEpochMilli()) {
          slots.await(r); // Recorded ahead by the last leader, never launched.
        } else if (r.isActive()) {
          e.active.put(r.key(), r);
          byTask.put(r.taskId(), r);
          switch (r.state()) {
            case PENDING, RUNNING -> reconcile.add(r.taskId());
            case RETRYING -> retries.resume(r);
            case WAITING_ASYNC, SUCCEEDED, FAILED, KILLED, SKIPPED -> { }
          }
        } else {
          e.finished.addLast(r);
        }
      }
    }
    if (!reconcile.isEmpty()) {
      log.info("reconciling {} unfinished runs with the master", reconcile.size());
      launcher.reconcile(reconcile);
    }
    List<Run> missed = new ArrayList<>();
    for (JobEntry e : jobs.values()) {
      missed.addAll(plan(e, now));
    }
    createAndLaunch(missed);
    log.info("jobs engine started with {} jobs", jobs.size());
    slots.arm();
  }

  /**
   * The framework subscribed to a master (again): one that just took over learns the tasks from
   * agents as they register again, so the grace for tasks it does not know yet starts anew.
   */
  public void subscribed() {
    unknownSince.clear();
  }

  /** Drops timers; the store keeps everything. */
  public void stop() {
    slots.clear();
    unknownSince.clear();
    jobs.clear();
    byTask.clear();
    dependencies.clear();
  }

  /**
   * The schedule of a stored job; none if its text is no longer valid (an earlier version
   * accepted it): the job is kept, visible and editable, but does not run until it is fixed.
   */
  private Schedule storedSchedule(Job job, Instant now) {
    try {
      return schedule(job, now);
    } catch (RuntimeException e) {
      log.warn("job {}: stored schedule '{}' is not valid ({}); the job does not run until it is updated",
          job.name(), job.scheduleText(), e.getMessage());
      return null;
    }
  }

  private Schedule schedule(Job job, Instant now) {
    return job.isDependent() ? null : Schedules.parse(job.scheduleText(), job.scheduleTimeZone(), now);
  }

  /**
   * Places a scheduled job's next slot, applying its missed-run policy to slots more than epsilon
   * in the past.
   *
   * @return runs of missed slots to launch now, and records of skipped ones
   */
  private List<Run> plan(JobEntry e, Instant now) {
    slots.unschedule(e);
    if (e.schedule == null || e.job.isDisabled()) {
      return List.of();
    }
    Instant from = e.status.nextSlot() != null ? Instant.ofEpochMilli(e.status.nextSlot())
        : e.schedule.first(now).orElse(null);
    Instant cutoff = now.minus(e.job.epsilonOrDefault());
    MissedSlots m = MissedSlots.plan(e.schedule, from, cutoff, e.job.missedRunPolicyOrDefault(),
        e.job.catchUpLimitOrDefault());
    List<Run> runs = new ArrayList<>();
    for (Instant slot : m.run()) {
      runs.add(Run.create(e.name(), slot, Trigger.MISSED, now, List.of()));
    }
    JobStatus s = e.status.withNextSlot(m.next().map(Instant::toEpochMilli).orElse(null));
    if (m.skipped() > 0) {
      log.info("job {}: {} missed slots up to {} skipped (missed-run policy {})", e.name(), m.skipped(),
          m.lastSkipped(), e.job.missedRunPolicyOrDefault());
      s = s.skipped(m.skipped());
      runs.add(Run.create(e.name(), m.lastSkipped(), Trigger.MISSED, now, List.of())
          .ended(RunState.SKIPPED, now.toEpochMilli(), null, m.skipped() + " missed slots skipped (missed-run policy "
              + e.job.missedRunPolicyOrDefault() + ")"));
    }
    e.status = s;
    store.putStatus(e.name(), s);
    slots.schedule(e);
    return runs;
  }

  /** The slot has come: its recorded runs launch, or are skipped under the concurrency policy. */
  private void launchSlot(List<Run> runs) {
    Instant now = clock.instant();
    if (log.isDebugEnabled() && !runs.isEmpty()) {
      log.debug("slot {}: {} runs handed to the launcher {} ms after the slot", Instant.ofEpochMilli(runs.get(0).slot()),
          runs.size(), now.toEpochMilli() - runs.get(0).slot());
    }
    List<Launch> launches = new ArrayList<>();
    for (Run r : runs) {
      JobEntry e = jobs.get(r.job());
      if (e == null) {
        continue;
      }
      Run admitted = admit(e, r, now);
      if (admitted.state() == RunState.SKIPPED) {
        store.putRun(admitted);
        store.putStatus(e.name(), e.status);
        remember(e, admitted);
      } else {
        e.active.put(r.key(), r);
        byTask.put(r.taskId(), r);
        task(e, r).ifPresent(launches::add);
      }
    }
    if (!launches.isEmpty()) {
      io.trellis.core.CrashPoints.reached("jobs.run-recorded");
    }
    launcher.launchAll(launches);
  }

  /**
   * The task of a run; if the job cannot be turned into one, the run fails with the reason and
   * the other runs go on.
   */
  private Optional<Launch> task(JobEntry e, Run r) {
    try {
      return Optional.of(TaskSpecs.of(e.job, r));
    } catch (RuntimeException ex) {
      end(e, r, RunState.FAILED, clock.millis(), null, "cannot launch: " + ex.getMessage());
      return Optional.empty();
    }
  }

  /** Applies the concurrency policy to a new run of {@code e}: the run itself, or a SKIPPED record. */
  private Run admit(JobEntry e, Run run, Instant now) {
    List<Run> busy = List.copyOf(e.active.values());
    if (busy.isEmpty() || run.trigger() == Trigger.MANUAL || run.trigger() == Trigger.MISSED) {
      return run;
    }
    ConcurrencyPolicy policy = e.job.concurrencyPolicyOrDefault();
    switch (policy) {
      case ALLOW -> {
        return run;
      }
      case FORBID -> {
        log.info("job {}: slot {} skipped, run {} still active (concurrency FORBID)", e.name(),
            Instant.ofEpochMilli(run.slot()), busy.get(0).taskId());
        e.status = e.status.skipped(1);
        return run.ended(RunState.SKIPPED, now.toEpochMilli(), null, "run " + busy.get(0).taskId()
            + " still active (concurrency FORBID)");
      }
      case REPLACE -> {
        for (Run old : busy) {
          if (killRequested.contains(old.taskId())) {
            continue;
          }
          kill(e, old, "replaced by the run of " + Instant.ofEpochMilli(run.slot()));
        }
        return run;
      }
      default -> throw new IllegalStateException("unknown concurrency policy " + policy);
    }
  }

  /** Records the runs (one batch), then launches those this call created. */
  private void createAndLaunch(List<Run> runs) {
    if (runs.isEmpty()) {
      return;
    }
    List<Run> created = store.createRuns(runs);
    if (created.size() < runs.size()) {
      log.info("{} slots were already recorded: not launched again", runs.size() - created.size());
    }
    List<Launch> launches = new ArrayList<>();
    for (Run r : created) {
      JobEntry e = jobs.get(r.job());
      if (r.state() == RunState.PENDING) {
        e.active.put(r.key(), r);
        byTask.put(r.taskId(), r);
        task(e, r).ifPresent(launches::add);
      } else {
        remember(e, r);
      }
    }
    if (!launches.isEmpty()) {
      io.trellis.core.CrashPoints.reached("jobs.run-recorded");
    }
    launcher.launchAll(launches);
  }

  // Task updates.

  /** A task status update from the master; returns once the run's new state is stored. */
  public void onUpdate(TaskStatus s) {
    Run run = byTask.get(s.taskId());
    if (run == null) {
      log.debug("update {} {} of no active run", s.taskId(), s.state());
      return;
    }
    JobEntry e = jobs.get(run.job());
    long now = clock.millis();
    if (s.state() != TaskState.GONE) {
      unknownSince.remove(s.taskId());
    }
    switch (s.state()) {
      case STAGING, STARTING, RUNNING, KILLING, UNREACHABLE -> {
        if (run.state() == RunState.PENDING || (run.state() == RunState.RUNNING && run.agentId() == null)) {
          put(e, run.started(now, s.agentId()));
        }
      }
      case FINISHED -> {
        if (killRequested.remove(s.taskId())) {
          end(e, run, RunState.KILLED, now, s.exitCode(), "killed");
        } else if (e.job.isAsync()) {
          log.info("job {}: task {} finished; waiting for the job to report success", e.name(), s.taskId());
          put(e, run.withState(RunState.WAITING_ASYNC, null));
        } else {
          succeed(e, run, now, s.exitCode());
        }
      }
      case FAILED, KILLED, LOST, GONE, ERROR -> failed(e, run, s, now);
    }
  }

  private void failed(JobEntry e, Run run, TaskStatus s, long now) {
    String why = s.state() + (s.message() == null ? "" : ": " + s.message());
    if (killRequested.remove(s.taskId())) {
      end(e, run, RunState.KILLED, now, s.exitCode(), "killed");
      return;
    }
    if (s.state() == TaskState.GONE && run.state() == RunState.PENDING
        && "REASON_RECONCILIATION".equals(s.reason())) {
      // The master never got this launch (the last leader stopped before it): launch it now.
      log.info("job {}: task {} never reached the master; launching it", e.name(), s.taskId());
      Run again = run.relaunching();
      put(e, again);
      task(e, again).ifPresent(launcher::launch);
      return;
    }
    if (s.state() == TaskState.GONE && "REASON_RECONCILIATION".equals(s.reason()) && stillUnknown(s.taskId())) {
      return;
    }
    // A task in error was invalid: another attempt would be refused the same way.
    Optional<Run> next = s.state() == TaskState.ERROR ? Optional.empty()
        : retries.after(run, e.job.retryCount(), why, s.exitCode());
    if (next.isPresent()) {
      byTask.remove(run.taskId());
      put(e, next.get());
      return;
    }
    end(e, run, RunState.FAILED, now, s.exitCode(), why);
  }

  /**
   * Whether a task the master does not know may still be learned from its agent (within
   * {@link #UNKNOWN_GRACE} of the first such answer): then the master is asked again shortly.
   */
  private boolean stillUnknown(String taskId) {
    Instant now = clock.instant();
    Instant first = unknownSince.computeIfAbsent(taskId, k -> now);
    if (java.time.Duration.between(first, now).compareTo(UNKNOWN_GRACE) >= 0) {
      unknownSince.remove(taskId);
      return false;
    }
    log.debug("the master does not know task {} yet; asking again", taskId);
    timer.schedule(ASK_AGAIN, () -> {
      if (byTask.containsKey(taskId)) {
        launcher.reconcile(List.of(taskId));
      }
    });
    return true;
  }

  /** A retry's backoff is over: its next attempt launches, unless the run was ended meanwhile. */
  private void retry(String job, String key, int attempt) {
    JobEntry e = jobs.get(job);
    Run r = e == null ? null : e.active.get(key);
    if (r == null || r.state() != RunState.RETRYING || r.attempt() != attempt) {
      return;
    }
    Run launching = r.withState(RunState.PENDING, null);
    put(e, launching);
    task(e, launching).ifPresent(launcher::launch);
  }

  private void succeed(JobEntry e, Run run, long now, Integer exitCode) {
    end(e, run, RunState.SUCCEEDED, now, exitCode, null);
    triggerChildren(e.name(), now);
  }

  /** Launches each dependent job whose parents have all succeeded since its last run. */
  private void triggerChildren(String parent, long now) {
    List<Run> runs = new ArrayList<>();
    for (JobEntry child : dependencies.ready(parent, jobs::get)) {
      log.info("job {}: every parent succeeded; running it", child.name());
      child.status = child.status.triggered(now);
      store.putStatus(child.name(), child.status);
      runs.add(admit(child, Run.create(child.name(), Instant.ofEpochMilli(now), Trigger.DEPENDENCY,
          clock.instant(), List.of()), clock.instant()));
    }
    createAndLaunch(runs);
  }

  private void end(JobEntry e, Run run, RunState state, long now, Integer exitCode, String why) {
    Run done = run.ended(state, now, exitCode, why);
    e.active.remove(run.key());
    byTask.remove(run.taskId());
    store.putRun(done);
    switch (state) {
      case SUCCEEDED -> e.status = e.status.succeeded(now);
      case FAILED -> e.status = e.status.failed(now);
      case KILLED, SKIPPED, PENDING, RUNNING, WAITING_ASYNC, RETRYING -> { }
    }
    store.putStatus(e.name(), e.status);
    log.info("job {}: run {} {}{}", e.name(), run.taskId(), state, why == null ? "" : " (" + why + ")");
    remember(e, done);
  }

  private void remember(JobEntry e, Run done) {
    e.finished.addLast(done);
    while (e.finished.size() > config.historyLimit()) {
      store.deleteRun(e.finished.removeFirst());
    }
  }

  private void put(JobEntry e, Run r) {
    store.putRun(r);
    e.active.put(r.key(), r);
    byTask.put(r.taskId(), r);
  }

  private void kill(JobEntry e, Run r, String why) {
    long now = clock.millis();
    switch (r.state()) {
      case RETRYING, WAITING_ASYNC -> end(e, r, RunState.KILLED, now, null, why);
      case PENDING, RUNNING -> {
        if (launcher.kill(r.taskId())) {
          end(e, r, RunState.KILLED, now, null, why);
        } else {
          killRequested.add(r.taskId());
        }
      }
      case SUCCEEDED, FAILED, KILLED, SKIPPED -> { }
    }
  }

  // Operations of the API.

  /** Creates or replaces a job; an empty schedule start becomes now. */
  public void put(Job input, boolean dependent) {
    Instant now = clock.instant();
    var errors = JobValidator.validate(input, name -> {
      JobEntry known = jobs.get(name);
      return known == null ? null : known.job;
    }, dependent, now);
    if (!errors.isEmpty()) {
      throw JobsException.invalid(errors);
    }
    Job job = input.definition();
    if (!job.isDependent()) {
      Schedule parsed = Schedules.parse(job.scheduleText(), job.scheduleTimeZone(), now);
      if (parsed instanceof IsoSchedule iso && job.schedule() != null && job.schedule().strip().split("/", -1)[1].isEmpty()) {
        job = job.withSchedule(iso.text());
      }
    }
    JobEntry old = jobs.get(job.name());
    store.putJob(job);
    if (old == null) {
      JobStatus status = JobStatus.fresh(now.toEpochMilli());
      JobEntry e = new JobEntry(job, schedule(job, now), status);
      jobs.put(job.name(), e);
      dependencies.put(job, null);
      log.info("job {} created ({})", job.name(), job.isDependent() ? "after " + job.parents() : job.scheduleText());
      createAndLaunch(plan(e, now));
    } else {
      boolean rescheduled = !java.util.Objects.equals(old.job.scheduleText(), job.scheduleText())
          || !java.util.Objects.equals(old.job.scheduleTimeZone(), job.scheduleTimeZone())
          || old.job.isDisabled() != job.isDisabled() || old.job.isDependent() != job.isDependent();
      slots.unschedule(old);
      dependencies.put(job, old.job);
      old.job = job;
      old.schedule = schedule(job, now);
      if (rescheduled) {
        // A new schedule (or enabling again) starts from now: earlier slots are not missed runs.
        old.status = old.status.withNextSlot(old.schedule == null ? null
            : old.schedule.nextAtOrAfter(now.minus(job.epsilonOrDefault())).map(Instant::toEpochMilli).orElse(null));
      }
      log.info("job {} updated", job.name());
      createAndLaunch(plan(old, now));
    }
    slots.arm();
  }

  public void delete(String name) {
    JobEntry e = entry(name);
    Optional<String> child = dependencies.anyChildOf(name);
    if (child.isPresent()) {
      throw JobsException.conflict("job '" + name + "' is a parent of '" + child.get()
          + "': delete or change that job first");
    }
    for (Run r : List.copyOf(e.active.values())) {
      kill(e, r, "job deleted");
      byTask.remove(r.taskId());
    }
    slots.unschedule(e);
    dependencies.remove(e.job);
    jobs.remove(name);
    store.deleteJob(name);
    log.info("job {} deleted", name);
  }

  /** Runs the job now, whatever its schedule; {@code arguments} replace the job's, if any. */
  public Run runNow(String name, List<String> arguments) {
    JobEntry e = entry(name);
    Instant now = clock.instant();
    Run run = Run.create(name, now, Trigger.MANUAL, now, arguments);
    if (e.active.containsKey(run.key())) {
      throw JobsException.conflict("job '" + name + "' was already started at " + now);
    }
    createAndLaunch(List.of(run));
    return run;
  }

  /** Kills every active run of the job. */
  public int killTasks(String name) {
    JobEntry e = entry(name);
    List<Run> active = List.copyOf(e.active.values());
    for (Run r : active) {
      kill(e, r, "killed through the API");
    }
    return active.size();
  }

  /** Completion of an async job: its oldest run waiting for it (or still running) succeeds. */
  public Run asyncSuccess(String name) {
    JobEntry e = entry(name);
    Run target = null;
    for (RunState wanted : new RunState[] {RunState.WAITING_ASYNC, RunState.RUNNING, RunState.PENDING}) {
      for (Run r : e.active.values()) {
        if (r.state() == wanted) {
          target = r;
          break;
        }
      }
      if (target != null) {
        break;
      }
    }
    if (target == null) {
      throw JobsException.conflict("job '" + name + "' has no run waiting for completion");
    }
    if (target.state() != RunState.WAITING_ASYNC) {
      killRequested.remove(target.taskId());
    }
    succeed(e, target, clock.millis(), null);
    return target;
  }

  /** The next instant a job is due, if any; safe to call from any thread. */
  public Optional<Instant> nextDue() {
    return slots.nextDue();
  }

  public Job job(String name) {
    return view(entry(name));
  }

  public List<Job> jobs() {
    return jobs.values().stream().map(JobEngine::view).toList();
  }

  /** Every recorded run of the job, active and finished, oldest slot first. */
  public List<Run> history(String name) {
    entry(name);
    return store.runs(name);
  }

  public JobStatus status(String name) {
    return entry(name).status;
  }

  /** Active runs of the job. */
  public Collection<Run> active(String name) {
    return List.copyOf(entry(name).active.values());
  }

  public Optional<Instant> nextSlot(String name) {
    Long n = entry(name).status.nextSlot();
    return Optional.ofNullable(n).map(Instant::ofEpochMilli);
  }

  private JobEntry entry(String name) {
    JobEntry e = jobs.get(name);
    if (e == null) {
      throw JobsException.notFound(name);
    }
    return e;
  }

  static Job view(JobEntry e) {
    JobStatus s = e.status;
    return e.job.withStats(s.successCount(), s.errorCount(),
        s.lastSuccess() == null ? "" : Instant.ofEpochMilli(s.lastSuccess()).toString(),
        s.lastError() == null ? "" : Instant.ofEpochMilli(s.lastError()).toString(), s.errorsSinceLastSuccess());
  }
}
