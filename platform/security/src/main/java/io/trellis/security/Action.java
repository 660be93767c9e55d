package io.trellis.security;

/**
 * What a principal may be allowed to do, each on an object named by a string (a role, a Unix
 * user, an app or job id, a path): access rules match principals, an action and objects.
 */
public enum Action {
  /** Subscribe a framework in a role; object: the role. */
  REGISTER_FRAMEWORK("register_framework", "role"),
  /** Run tasks as a Unix user; object: the user. */
  RUN_TASKS("run_tasks", "user"),
  /** Tear down a framework; object: the principal that registered it. */
  TEARDOWN_FRAMEWORK("teardown_framework", "framework principal"),
  /** Change a role's quota; object: the role. */
  UPDATE_QUOTA("update_quota", "role"),
  /** Change a role's weight; object: the role. */
  UPDATE_WEIGHT("update_weight", "role"),
  /** Other operator changes (maintenance, agent drains); object: the agent or "*". */
  OPERATE("operate", "target"),
  /** Create, update or delete services apps; object: the app id. */
  MANAGE_APPS("manage_apps", "app id"),
  /** Create, update, delete or run jobs; object: the job name. */
  MANAGE_JOBS("manage_jobs", "job name"),
  /** Read a task's sandbox files; object: the id of the task's framework. */
  READ_SANDBOX("read_sandbox", "framework id"),
  /** Read state, apps, jobs, metrics; object: what is read ("state", "metrics", ...). */
  READ("read", "what"),
  /**
   * Speak for an agent to the master; object: the agent's host name when it registers, its id
   * when it heartbeats or reports status updates.
   */
  REGISTER_AGENT("register_agent", "agent"),
  /**
   * Give an agent orders (launch, kill, acknowledge: the master's calls to an agent's {@code
   * /internal} endpoints); object: the endpoint, such as {@code tasks/launch}.
   */
  CONTROL_AGENT("control_agent", "agent endpoint"),
  /** Run a privileged container; object: the app or job id. */
  PRIVILEGED_CONTAINER("privileged_container", "app or job id"),
  /** Mount a host path into a container or task; object: the host path. */
  HOST_VOLUME("host_volume", "host path"),
  /** Use the host's network or PID namespace; object: "network" or "pid". */
  HOST_NAMESPACE("host_namespace", "namespace"),
  /** Add a Linux capability to a container; object: the capability. */
  ADD_CAPABILITY("add_capability", "capability"),
  /** Pass raw Docker parameters; object: the parameter's key. */
  DOCKER_PARAMETER("docker_parameter", "parameter key");

  private final String key;
  private final String object;

  Action(String key, String object) {
    this.key = key;
    this.object = object;
  }

  /** The name access rules use for this action. */
  public String key() {
    return key;
  }

  /** What this action's object names, for messages. */
  public String objectKind() {
    return object;
  }

  /** The action access rules call {@code key}, or {@code null}. */
  public static Action byKey(String key) {
    for (Action a : values()) {
      if (a.key.equals(key)) {
        return a;
      }
    }
    return null;
  }
}
