package io.trellis.jobs.engine;

import io.trellis.api.TaskSpec;
import java.time.Instant;
import java.util.List;

/**
 * A task waiting for an offer: its spec without an agent, the placement constraints of its job
 * ({@code [attribute, EQUALS|LIKE|UNLIKE, value]}) and the instant it was due.
 */
public record Launch(TaskSpec task, List<List<String>> constraints, Instant due) {
  public Launch {
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
  }
}
