package io.trellis.master.task;

import io.trellis.api.TaskState;
import java.util.Objects;

/**
 * The life of a task as the master sees it, following Mesos: a pure function from (state, event)
 * to a {@link Transition}. It decides; the caller carries the {@link Effect}s out.
 *
 * <p>H(h) is {@link Effect.RecordHealth}, F(s) is {@link Effect.ForwardToFramework} of state s, K {@link Effect.SendKillToAgent},
 * R {@link Effect.ReleaseResources}, I {@link Effect.Ignore} (state unchanged). "terminal" is any
 * of FINISHED, FAILED, KILLED, LOST, GONE, ERROR.
 *
 * <table>
 * <caption>Rules</caption>
 * <tr><th>event</th><th>STAGING</th><th>STARTING, RUNNING</th><th>KILLING</th>
 *     <th>UNREACHABLE</th><th>terminal</th></tr>
 * <tr><td>AgentReported(s), s in STARTING, RUNNING, KILLING</td>
 *     <td colspan="3">s + F(s) unless s is behind the current state in the order
 *     STAGING &lt; STARTING &lt; RUNNING &lt; KILLING: then I (a stale report; RUNNING during
 *     KILLING is one). The same state again is forwarded again: it may carry news.</td>
 *     <td>s + F(s): the agent is back</td><td>I</td></tr>
 * <tr><td>AgentReported(s) carrying health h, s in STARTING, RUNNING, KILLING</td>
 *     <td colspan="4">as without health, with H(h) before F(s) whenever the report is not
 *     ignored: a RUNNING report of a RUNNING task is how the agent tells a change of health</td>
 *     <td>I</td></tr>
 * <tr><td>AgentReported(s), s in FINISHED, FAILED, KILLED, GONE</td>
 *     <td colspan="4">s + R, F(s) with the agent's reason and message</td><td>I</td></tr>
 * <tr><td>AgentReported(s), s in STAGING, UNREACHABLE, LOST, ERROR</td>
 *     <td colspan="5">I: only the master decides these states</td></tr>
 * <tr><td>KillRequested</td>
 *     <td>KILLED + K, R, F(KILLED) {@value #REASON_TASK_KILLED_DURING_LAUNCH}; K in case the
 *     launch already left for the agent</td>
 *     <td>KILLING + K; nothing is forwarded until the agent reports</td>
 *     <td>KILLING + K: the kill is sent again</td>
 *     <td>UNREACHABLE + F(UNREACHABLE): the kill cannot be delivered, the framework retries it
 *     once the agent is back (as Mesos answers a kill of an unreachable task)</td><td>I</td></tr>
 * <tr><td>AgentUnreachable</td>
 *     <td colspan="3">UNREACHABLE + F(UNREACHABLE) {@value #REASON_AGENT_UNREACHABLE};
 *     resources are kept, the agent may come back</td><td>I</td><td>I</td></tr>
 * <tr><td>FrameworkRemoved</td>
 *     <td colspan="4">KILLED + K, R, F(KILLED) {@value #REASON_FRAMEWORK_REMOVED}</td><td>I</td></tr>
 * <tr><td>AgentLost</td>
 *     <td colspan="4">LOST + R, F(LOST) {@value #REASON_AGENT_REMOVED}</td><td>I</td></tr>
 * <tr><td>AgentReregistered(true)</td>
 *     <td colspan="2">I: the agent's own updates report progress</td>
 *     <td>KILLING + K: the first kill may have been lost</td>
 *     <td>RUNNING + F(RUNNING) {@value #REASON_AGENT_REREGISTERED}</td><td>I</td></tr>
 * <tr><td>AgentReregistered(false)</td>
 *     <td colspan="4">GONE + R, F(GONE) {@value #REASON_AGENT_REREGISTERED}</td><td>I</td></tr>
 * <tr><td>LaunchRejected(reason)</td>
 *     <td>ERROR + R, F(ERROR) {@value #REASON_TASK_INVALID} with the reason as message</td>
 *     <td colspan="3">I: the launch was already accepted</td><td>I</td></tr>
 * <tr><td>LaunchTimedOut(message)</td>
 *     <td>FAILED + K, R, F(FAILED) {@value #REASON_LAUNCH_TIMED_OUT} with the message; K in case
 *     the task starts after all</td>
 *     <td colspan="3">I: the agent reported the task</td><td>I</td></tr>
 * <tr><td>ReconcileUnknown</td>
 *     <td colspan="4">GONE + R, F(GONE) {@value #REASON_RECONCILIATION}</td><td>I</td></tr>
 * </table>
 *
 * <p>Invariants: terminal states never change; R is emitted exactly when a non-terminal state
 * becomes terminal (UNREACHABLE keeps the resources); nothing ever returns to STAGING.
 *
 * <p>Callers own two races the function cannot see: a launch still in flight when an agent
 * re-registers or reconciles without the task (do not send ReconcileUnknown or
 * AgentReregistered(false) for a task whose launch the agent may not have received yet), and the
 * acknowledgement of agent reports this function ignores (see {@link Effect.Ignore}).
 */
public final class TaskStateMachine {
  public static final String REASON_TASK_KILLED_DURING_LAUNCH = "REASON_TASK_KILLED_DURING_LAUNCH";
  public static final String REASON_AGENT_UNREACHABLE = "REASON_AGENT_UNREACHABLE";
  public static final String REASON_AGENT_REMOVED = "REASON_AGENT_REMOVED";
  public static final String REASON_AGENT_REREGISTERED = "REASON_AGENT_REREGISTERED";
  public static final String REASON_TASK_INVALID = "REASON_TASK_INVALID";
  public static final String REASON_RECONCILIATION = "REASON_RECONCILIATION";
  public static final String REASON_FRAMEWORK_REMOVED = "REASON_FRAMEWORK_REMOVED";
  public static final String REASON_LAUNCH_TIMED_OUT = "REASON_TASK_LAUNCH_TIMED_OUT";

  private TaskStateMachine() {}

  /** The task's next state and what to do about the event; see the class table. */
  public static Transition next(TaskState current, TaskEvent event) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(event, "event");
    return switch (event.kind()) {
      case AGENT_REPORTED -> reported(current, (TaskEvent.AgentReported) event);
      case KILL_REQUESTED -> killRequested(current, event);
      case AGENT_UNREACHABLE -> agentUnreachable(current, event);
      case AGENT_LOST -> end(current, event, TaskState.LOST, REASON_AGENT_REMOVED,
          "the task's agent was removed after being unreachable for too long");
      case AGENT_REREGISTERED -> reregistered(current, (TaskEvent.AgentReregistered) event);
      case LAUNCH_REJECTED -> launchRejected(current, (TaskEvent.LaunchRejected) event);
      case RECONCILE_UNKNOWN -> end(current, event, TaskState.GONE, REASON_RECONCILIATION,
          "the agent does not know the task");
      case FRAMEWORK_REMOVED -> frameworkRemoved(current, event);
      case LAUNCH_TIMED_OUT -> launchTimedOut(current, (TaskEvent.LaunchTimedOut) event);
    };
  }

  private static Transition reported(TaskState current, TaskEvent.AgentReported event) {
    if (current.isTerminal()) {
      return terminal(current, event);
    }
    TaskState s = event.reported();
    return switch (s) {
      case STAGING, UNREACHABLE, LOST, ERROR ->
          Transition.ignore(current, "agents do not report " + s + "; task stays " + current);
      case FINISHED, FAILED, KILLED, GONE -> Transition.of(s, new Effect.ReleaseResources(),
          new Effect.ForwardToFramework(s, event.reason(), event.message()));
      case STARTING, RUNNING, KILLING -> current != TaskState.UNREACHABLE
          && progress(s) < progress(current)
          ? Transition.ignore(current, "stale report " + s + " of a task already " + current)
          : event.healthy() == null
              ? Transition.of(s, new Effect.ForwardToFramework(s, event.reason(), event.message()))
              : Transition.of(s, new Effect.RecordHealth(event.healthy()),
                  new Effect.ForwardToFramework(s, event.reason(), event.message()));
    };
  }

  /** Order of the live states an agent may report; a report never moves a task backwards. */
  private static int progress(TaskState s) {
    return switch (s) {
      case STAGING -> 0;
      case STARTING -> 1;
      case RUNNING -> 2;
      case KILLING -> 3;
      case UNREACHABLE, FINISHED, FAILED, KILLED, LOST, GONE, ERROR ->
          throw new IllegalArgumentException("no progress order for " + s);
    };
  }

  private static Transition killRequested(TaskState current, TaskEvent event) {
    return switch (current) {
      case STAGING -> Transition.of(TaskState.KILLED, new Effect.SendKillToAgent(),
          new Effect.ReleaseResources(), new Effect.ForwardToFramework(TaskState.KILLED,
              REASON_TASK_KILLED_DURING_LAUNCH, "killed before it started"));
      case STARTING, RUNNING, KILLING -> Transition.of(TaskState.KILLING, new Effect.SendKillToAgent());
      case UNREACHABLE -> Transition.of(TaskState.UNREACHABLE,
          new Effect.ForwardToFramework(TaskState.UNREACHABLE, REASON_AGENT_UNREACHABLE,
              "cannot kill the task while its agent is unreachable; kill it again once the agent"
                  + " is back"));
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition agentUnreachable(TaskState current, TaskEvent event) {
    return switch (current) {
      case STAGING, STARTING, RUNNING, KILLING -> Transition.of(TaskState.UNREACHABLE,
          new Effect.ForwardToFramework(TaskState.UNREACHABLE, REASON_AGENT_UNREACHABLE,
              "the task's agent is unreachable; the task may still be running"));
      case UNREACHABLE -> Transition.ignore(current, "task is already UNREACHABLE");
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition reregistered(TaskState current, TaskEvent.AgentReregistered event) {
    if (!event.taskStillRunning()) {
      return end(current, event, TaskState.GONE, REASON_AGENT_REREGISTERED,
          "the agent re-registered without the task");
    }
    return switch (current) {
      case STAGING, STARTING, RUNNING -> Transition.ignore(current,
          "agent re-registered with the task, which stays " + current + " until the agent reports");
      case KILLING -> Transition.of(TaskState.KILLING, new Effect.SendKillToAgent());
      case UNREACHABLE -> Transition.of(TaskState.RUNNING, new Effect.ForwardToFramework(
          TaskState.RUNNING, REASON_AGENT_REREGISTERED, "the task's agent is reachable again"));
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition launchRejected(TaskState current, TaskEvent.LaunchRejected event) {
    return switch (current) {
      case STAGING -> Transition.of(TaskState.ERROR, new Effect.ReleaseResources(),
          new Effect.ForwardToFramework(TaskState.ERROR, REASON_TASK_INVALID, event.reason()));
      case STARTING, RUNNING, KILLING, UNREACHABLE -> Transition.ignore(current,
          "launch rejection of a task already " + current + ": its launch was accepted");
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition launchTimedOut(TaskState current, TaskEvent.LaunchTimedOut event) {
    return switch (current) {
      case STAGING -> Transition.of(TaskState.FAILED, new Effect.SendKillToAgent(), new Effect.ReleaseResources(),
          new Effect.ForwardToFramework(TaskState.FAILED, REASON_LAUNCH_TIMED_OUT, event.message()));
      case STARTING, RUNNING, KILLING, UNREACHABLE -> Transition.ignore(current,
          "launch timeout of a task already " + current + ": its agent reported it");
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  /** As in Mesos, the tasks of a removed framework are KILLED at once; the agent is told to kill them. */
  private static Transition frameworkRemoved(TaskState current, TaskEvent event) {
    return switch (current) {
      case STAGING, STARTING, RUNNING, KILLING, UNREACHABLE -> Transition.of(TaskState.KILLED,
          new Effect.SendKillToAgent(), new Effect.ReleaseResources(), new Effect.ForwardToFramework(
              TaskState.KILLED, REASON_FRAMEWORK_REMOVED, "killed: its framework was torn down"));
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition end(TaskState current, TaskEvent event, TaskState end, String reason,
      String message) {
    return switch (current) {
      case STAGING, STARTING, RUNNING, KILLING, UNREACHABLE -> Transition.of(end,
          new Effect.ReleaseResources(), new Effect.ForwardToFramework(end, reason, message));
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> terminal(current, event);
    };
  }

  private static Transition terminal(TaskState current, TaskEvent event) {
    return Transition.ignore(current, "task is already " + current + ", a terminal state; ignored "
        + event);
  }
}
