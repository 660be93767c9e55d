package io.trellis.jobs.engine;

import java.time.Duration;

/**
 * Settings of the scheduling engine.
 *
 * @param retryBackoff the wait before the first retry; doubled for each further one
 * @param maxRetryBackoff the longest wait between retries
 * @param historyLimit finished runs kept per job (the oldest are dropped)
 */
public record EngineConfig(Duration retryBackoff, Duration maxRetryBackoff, int historyLimit) {
  public EngineConfig {
    if (retryBackoff.isNegative() || maxRetryBackoff.isNegative()) {
      throw new IllegalArgumentException("retry backoff must not be negative, was " + retryBackoff);
    }
    if (historyLimit < 1) {
      throw new IllegalArgumentException("history limit must be 1 or more, was " + historyLimit);
    }
  }

  public static EngineConfig defaults() {
    return new EngineConfig(Duration.ofSeconds(10), Duration.ofMinutes(10), 100);
  }

  public EngineConfig withRetryBackoff(Duration backoff) {
    return new EngineConfig(backoff, maxRetryBackoff, historyLimit);
  }

  Duration backoff(int failedAttempt) {
    long factor = 1L << Math.min(20, Math.max(0, failedAttempt - 1));
    Duration d = retryBackoff.multipliedBy(factor);
    return d.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : d;
  }
}
