package io.trellis.master.task;

import io.trellis.api.TaskState;
import java.util.Objects;

/**
 * Something that happened to a task, fed to {@link TaskStateMachine#next}. Events carry facts,
 * never decisions: what the master does about them is the state machine's business.
 *
 * <p>Java 17 has no pattern matching in {@code switch}, so every event names its {@link Kind};
 * a {@code switch} over the kind is checked for exhaustiveness by the compiler, and the kind of
 * each record is fixed here, so the cast that follows it is safe.
 */
public sealed interface TaskEvent {

  /** One constant per record of this interface. */
  enum Kind {
    AGENT_REPORTED, KILL_REQUESTED, AGENT_UNREACHABLE, AGENT_LOST, AGENT_REREGISTERED,
    LAUNCH_REJECTED, RECONCILE_UNKNOWN, FRAMEWORK_REMOVED, LAUNCH_TIMED_OUT
  }

  Kind kind();

  /**
   * A status update from the agent. Agents report {@code STARTING}, {@code RUNNING},
   * {@code KILLING}, {@code FINISHED}, {@code FAILED}, {@code KILLED} and {@code GONE}; any other
   * state is not theirs to report and is ignored by the state machine (not rejected here, so that
   * a misbehaving agent cannot throw inside the master's event loop).
   *
   * @param reason Mesos-style reason such as {@code REASON_COMMAND_EXECUTOR_FAILED}, or null
   * @param message human-readable detail, or null
   * @param exitCode the process exit status of terminal updates, or null
   * @param healthy the task's health from its checks, or null when the update says nothing of it
   */
  record AgentReported(TaskState reported, String reason, String message, Integer exitCode,
      Boolean healthy) implements TaskEvent {
    public AgentReported {
      Objects.requireNonNull(reported, "reported");
    }

    /** A report that says nothing of health. */
    public AgentReported(TaskState reported, String reason, String message, Integer exitCode) {
      this(reported, reason, message, exitCode, null);
    }

    @Override
    public Kind kind() {
      return Kind.AGENT_REPORTED;
    }
  }

  /** The framework (or an operator) asked to kill the task. */
  record KillRequested() implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.KILL_REQUESTED;
    }
  }

  /** The task's agent stopped answering; it may come back. */
  record AgentUnreachable() implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.AGENT_UNREACHABLE;
    }
  }

  /** The task's agent is gone for good (the unreachable timeout expired, or it was removed). */
  record AgentLost() implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.AGENT_LOST;
    }
  }

  /**
   * The task's agent registered again.
   *
   * @param taskStillRunning whether the agent listed the task as live (not terminal)
   */
  record AgentReregistered(boolean taskStillRunning) implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.AGENT_REREGISTERED;
    }
  }

  /**
   * The master's validation refused the launch; the task never reaches an agent.
   *
   * @param reason what is wrong with the task, shown to the framework
   */
  record LaunchRejected(String reason) implements TaskEvent {
    public LaunchRejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Kind kind() {
      return Kind.LAUNCH_REJECTED;
    }
  }

  /** The agent says it does not know the task (reconciliation with a reachable agent). */
  record ReconcileUnknown() implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.RECONCILE_UNKNOWN;
    }
  }

  /** The task's framework was torn down or did not come back within its failover timeout. */
  record FrameworkRemoved() implements TaskEvent {
    @Override
    public Kind kind() {
      return Kind.FRAMEWORK_REMOVED;
    }
  }

  /**
   * The task stayed STAGING past the launch timeout: its agent never reported it starting.
   *
   * @param message why, shown to the framework (the timeout and the agent)
   */
  record LaunchTimedOut(String message) implements TaskEvent {
    public LaunchTimedOut {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public Kind kind() {
      return Kind.LAUNCH_TIMED_OUT;
    }
  }
}
