package io.trellis.master.task;

import io.trellis.api.TaskState;
import java.util.Objects;

/**
 * What the master must do after a transition; decided by {@link TaskStateMachine}, carried out by
 * the caller, in list order. Effects are relative to the task the event was about.
 *
 * <p>As with {@link TaskEvent}, {@link #kind()} gives Java 17 code an exhaustive {@code switch}.
 */
public sealed interface Effect {

  /** One constant per record of this interface. */
  enum Kind { RECORD_HEALTH, FORWARD_TO_FRAMEWORK, SEND_KILL_TO_AGENT, RELEASE_RESOURCES, IGNORE }

  Kind kind();

  /**
   * Send an UPDATE with this state to the framework. When the event was an agent report of the
   * same state, the caller forwards the agent's own status (with its uuid and exit code) so that
   * the framework's acknowledgement reaches the agent.
   *
   * @param reason Mesos-style reason, or null
   * @param message human-readable detail, or null
   */
  record ForwardToFramework(TaskState state, String reason, String message) implements Effect {
    public ForwardToFramework {
      Objects.requireNonNull(state, "state");
    }

    @Override
    public Kind kind() {
      return Kind.FORWARD_TO_FRAMEWORK;
    }
  }

  /**
   * Keep the task's health from its checks, shown in the operator's state and in reconciliation
   * answers; comes before the forward of the report that carried it.
   */
  record RecordHealth(boolean healthy) implements Effect {
    @Override
    public Kind kind() {
      return Kind.RECORD_HEALTH;
    }
  }

  /** Ask the task's agent to kill it (again, if a kill was already sent). */
  record SendKillToAgent() implements Effect {
    @Override
    public Kind kind() {
      return Kind.SEND_KILL_TO_AGENT;
    }
  }

  /** Give the task's resources back to the allocator; emitted once, on entering a terminal state. */
  record ReleaseResources() implements Effect {
    @Override
    public Kind kind() {
      return Kind.RELEASE_RESOURCES;
    }
  }

  /**
   * Nothing to do; the state is unchanged. An ignored agent report still needs acknowledging to
   * the agent (or forwarding again, for a retried duplicate), else the agent retries it forever.
   *
   * @param why names the state and the event, for the log
   */
  record Ignore(String why) implements Effect {
    public Ignore {
      if (why == null || why.isBlank()) {
        throw new IllegalArgumentException("an ignored event needs a reason, got '" + why + "'");
      }
    }

    @Override
    public Kind kind() {
      return Kind.IGNORE;
    }
  }
}
