package io.trellis.agent.health;

import java.util.concurrent.CompletableFuture;

/**
 * One kind of health check, run once per call. A probe never blocks its caller for long and
 * never completes exceptionally: a failure to probe is a failed probe.
 */
interface Probe {
  /** What is probed, for messages: {@code HTTP GET http://127.0.0.1:31002/health}. */
  String description();

  /** Starts one probe; the result arrives within the check's timeout. */
  CompletableFuture<ProbeResult> run();

  /** Stops a probe still running (a command is killed); nothing if none runs. */
  default void cancel() {}
}
