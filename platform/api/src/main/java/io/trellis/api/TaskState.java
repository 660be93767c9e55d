package io.trellis.api;

/** The states of a task, as in Mesos. Terminal states never change again. */
public enum TaskState {
  /** Accepted by the master, on its way to the agent. */
  STAGING,
  /** The agent is starting it. */
  STARTING,
  RUNNING,
  /** The master asked the agent to kill it; waiting for the agent to confirm. */
  KILLING,
  /** Exited with status 0. */
  FINISHED,
  /** Exited with a non-zero status or could not start. */
  FAILED,
  KILLED,
  /** The agent was lost; the task may still run if the agent returns. */
  UNREACHABLE,
  /** The agent did not come back in time; the task is gone for good. */
  LOST,
  /** The agent reported it does not know the task. */
  GONE,
  /** The launch was invalid and never reached an agent. */
  ERROR;

  public boolean isTerminal() {
    return switch (this) {
      case FINISHED, FAILED, KILLED, LOST, GONE, ERROR -> true;
      case STAGING, STARTING, RUNNING, KILLING, UNREACHABLE -> false;
    };
  }
}
