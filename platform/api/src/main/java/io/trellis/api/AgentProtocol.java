package io.trellis.api;

import java.util.List;
import java.util.Map;

/**
 * Messages between agents and the master. Agents call the master's {@code /internal/agents}
 * endpoints; the master calls the agent's {@code /internal/tasks} endpoints.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /** A batch's entries, copied; a missing entry stays {@code null} so that the receiver can name it. */
  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }

  /**
   * Sent by an agent when it starts or finds a new leader.
   *
   * @param agentId {@code null} the first time; the id it was given, to re-register
   * @param endpoint {@code host:port} of the agent's HTTP API
   * @param resources total resources, Mesos text form
   * @param tasks tasks the agent is running (after a restart or a master failover)
   */
  public record Register(String agentId, String hostname, String endpoint, String resources,
      Map<String, String> attributes, List<RunningTask> tasks) {}

  /**
   * A task known to an agent, with its latest state.
   *
   * @param healthy the task's health as last reported; {@code null} without checks or verdict
   * @param status the agent's latest status of the task (its reason, message and exit code), or
   *     {@code null} from an agent of an earlier release
   */
  public record RunningTask(String frameworkId, String role, TaskSpec task, TaskState state, Boolean healthy,
      TaskStatus status) {
    /** A task whose health is unknown. */
    public RunningTask(String frameworkId, String role, TaskSpec task, TaskState state) {
      this(frameworkId, role, task, state, null, null);
    }

    /** A task without its latest status. */
    public RunningTask(String frameworkId, String role, TaskSpec task, TaskState state, Boolean healthy) {
      this(frameworkId, role, task, state, healthy, null);
    }
  }

  /**
   * @param heartbeatIntervalSeconds how often the agent must heartbeat
   * @param epoch the leader epoch of the master that registered the agent (0 for a master that
   *     leads alone); the agent refuses calls from masters of older epochs from then on
   */
  public record Registered(String agentId, String masterId, double heartbeatIntervalSeconds, long epoch) {
    public Registered(String agentId, String masterId, double heartbeatIntervalSeconds) {
      this(agentId, masterId, heartbeatIntervalSeconds, 0);
    }
  }

  /**
   * The HTTP header on every master-to-agent call that names the sending master's leader epoch.
   * An agent refuses (409) a call whose epoch is older than the newest it has seen.
   */
  public static final String EPOCH_HEADER = "Trellis-Leader-Epoch";

  public record Heartbeat(String agentId) {}

  /** A status update from the agent; retried until the master acknowledges it. */
  public record Update(String agentId, String frameworkId, TaskStatus status) {}

  /**
   * Many status updates of one agent in one call ({@code /internal/agents/updates}); the master
   * handles them in order, as if each came alone.
   */
  public record Updates(String agentId, List<Update> updates) {
    public Updates {
      updates = copy(updates);
    }
  }

  /** The master's order to start a task. */
  public record Launch(String frameworkId, String role, TaskSpec task) {}

  /** The master's order to start many tasks ({@code /internal/tasks/launches}), each as a {@link Launch}. */
  public record Launches(List<Launch> launches) {
    public Launches {
      launches = copy(launches);
    }
  }

  public record Kill(String frameworkId, String taskId, Double gracePeriodSeconds) {}

  /** Many kills in one call ({@code /internal/tasks/kills}), each as a {@link Kill}. */
  public record Kills(List<Kill> kills) {
    public Kills {
      kills = copy(kills);
    }
  }

  /** The framework acknowledged an update: the agent may forget it. */
  public record Acknowledge(String taskId, String uuid) {}

  /** Many acknowledgements in one call ({@code /internal/tasks/acknowledgements}), each as an {@link Acknowledge}. */
  public record Acknowledgements(List<Acknowledge> acknowledgements) {
    public Acknowledgements {
      acknowledgements = copy(acknowledgements);
    }
  }
}
