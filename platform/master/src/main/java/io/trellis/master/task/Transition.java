package io.trellis.master.task;

import io.trellis.api.TaskState;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one event: the task's new state and the effects to carry out, in order. The list
 * is never empty: an event that changes nothing yields a single {@link Effect.Ignore}.
 */
public record Transition(TaskState state, List<Effect> effects) {
  public Transition {
    Objects.requireNonNull(state, "state");
    effects = List.copyOf(effects);
    if (effects.isEmpty()) {
      throw new IllegalArgumentException("a transition to " + state
          + " needs at least one effect (Ignore when nothing happens)");
    }
  }

  static Transition of(TaskState state, Effect... effects) {
    return new Transition(state, List.of(effects));
  }

  static Transition ignore(TaskState state, String why) {
    return of(state, new Effect.Ignore(why));
  }

  /** Whether the event was ignored: same state, nothing to do. */
  public boolean ignored() {
    return effects.size() == 1 && effects.get(0) instanceof Effect.Ignore;
  }
}
