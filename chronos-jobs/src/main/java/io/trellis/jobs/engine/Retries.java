package io.trellis.jobs.engine;

import io.trellis.core.time.Timer;
import io.trellis.jobs.run.Run;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of failed runs: whether a run gets another attempt, after which backoff (doubled for
 * each failed attempt, capped), and the timer that hands the attempt back to the engine. Called on
 * the engine's thread only; its timer runs tasks there.
 */
final class Retries {
  /** Where a retry goes when its backoff is over: the engine launches it if still wanted. */
  interface Target {
    void retry(String job, String runKey, int attempt);
  }

  private static final Logger log = LoggerFactory.getLogger(Retries.class);
  private final InstantSource clock;
  private final Timer timer;
  private final EngineConfig config;
  private final Target target;

  Retries(InstantSource clock, Timer timer, EngineConfig config, Target target) {
    this.clock = clock;
    this.timer = timer;
    this.config = config;
    this.target = target;
  }

  /**
   * The next attempt of a run whose attempt just failed, with its timer armed; empty when the
   * job's retries are used up.
   *
   * @param retries how many retries the job allows after its first attempt
   * @param why what failed, for the run's message
   */
  Optional<Run> after(Run failed, int retries, String why, Integer exitCode) {
    if (failed.attempt() > retries) {
      return Optional.empty();
    }
    Duration backoff = config.backoff(failed.attempt());
    Run next = failed.nextAttempt(clock.instant().plus(backoff).toEpochMilli(),
        "attempt " + failed.attempt() + " " + why + (exitCode == null ? "" : " (exit " + exitCode + ")"));
    log.info("job {}: attempt {} failed ({}); retry in {}", failed.job(), failed.attempt(), why, backoff);
    arm(next, backoff);
    return Optional.of(next);
  }

  /** Arms the timer of a waiting retry found in the store by a new leader; a past one fires now. */
  void resume(Run retrying) {
    arm(retrying, Duration.between(clock.instant(), Instant.ofEpochMilli(retrying.retryAt())));
  }

  private void arm(Run r, Duration delay) {
    timer.schedule(delay.isNegative() ? Duration.ZERO : delay, () -> target.retry(r.job(), r.key(), r.attempt()));
  }
}
