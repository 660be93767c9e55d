package io.trellis.jobs.http;

import io.trellis.jobs.engine.JobEngine;
import java.util.function.Function;

/** How the API reaches the engine: on its thread, and only while this instance leads. */
public interface EngineAccess {
  /** Runs {@code work} on the engine's thread; a 503 {@link io.trellis.jobs.JobsException} when not leading. */
  <T> T call(Function<JobEngine, T> work);

  /** Whether this instance leads and has recovered; answered at once, from memory. */
  Readiness readiness();
}
