package io.trellis.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Agent settings.
 *
 * @param master where the master is: {@code zk://host:port/path} or {@code host:port}
 * @param host the address the agent binds and advertises (127.0.0.1 unless configured)
 * @param port the agent's HTTP port (0 for any free port)
 * @param workDir sandboxes, checkpoints and the agent's id live here
 * @param resources overrides in Mesos form ({@code cpus:2;mem:1024}), empty for detected values
 * @param attributes {@code rack:r1;zone:west}
 * @param killGracePeriod default time between SIGTERM and SIGKILL
 * @param settings free-form settings for containerizers
 */
public record AgentConfig(String master, String host, int port, Path workDir, String resources,
    String attributes, Duration killGracePeriod, Duration updateRetry, Map<String, String> settings) {
  /** The setting naming the ZooKeeper session timeout, in seconds, of the agent's leader detector. */
  public static final String ZK_SESSION_TIMEOUT = "zk-session-timeout";
  /** The setting naming the seconds between the agent's heartbeats to the master. */
  public static final String HEARTBEAT_INTERVAL = "heartbeat-interval";
  /**
   * The setting naming the cluster key file ({@code <data dir>/security/cluster.key}): with it
   * the agent takes only calls the masters signed with that key; without it, any call.
   */
  public static final String CLUSTER_KEY_FILE = "cluster-key-file";
  /**
   * The setting naming the Unix user tasks run as when their command names none (an agent
   * running as root switches to it); without it tasks run as the agent's own user.
   */
  public static final String TASK_USER = "task-user";
  /**
   * The setting naming the host's boot id; unset, {@value #BOOT_ID_VARIABLE} from the environment,
   * else the kernel's {@code /proc/sys/kernel/random/boot_id}. A boot id other than the one the
   * work directory was last used with means the host rebooted: its tasks are gone.
   */
  public static final String BOOT_ID = "boot-id";
  /** The environment variable that stands for the kernel's boot id (tests, fault rigs). */
  public static final String BOOT_ID_VARIABLE = "TRELLIS_BOOT_ID";

  public AgentConfig {
    settings = settings == null ? Map.of() : Map.copyOf(settings);
  }

  /** The ZooKeeper session timeout for following the leader (10 s unless set). */
  public Duration zkSessionTimeout() {
    return Duration.ofSeconds(Long.parseLong(settings.getOrDefault(ZK_SESSION_TIMEOUT, "10")));
  }

  /**
   * How often the agent heartbeats to the master (1 s unless set). Keep it well under the
   * master's agent timeout: the master marks an agent unreachable after that much silence.
   */
  public Duration heartbeatInterval() {
    return Duration.ofSeconds(Long.parseLong(settings.getOrDefault(HEARTBEAT_INTERVAL, "1")));
  }

  /** The cluster key file, or {@code null} when the agent takes unsigned calls. */
  public java.nio.file.Path clusterKeyFile() {
    String file = settings.get(CLUSTER_KEY_FILE);
    return file == null || file.isBlank() ? null : java.nio.file.Path.of(file);
  }

  /** The user tasks run as unless their command names one, or {@code null} for the agent's own. */
  public String taskUser() {
    String user = settings.get(TASK_USER);
    return user == null || user.isBlank() ? null : user;
  }

  /** This host's boot id (see {@link #BOOT_ID}), or {@code null} when none can be read. */
  public String bootId() {
    String id = settings.get(BOOT_ID);
    if (id == null || id.isBlank()) {
      id = System.getenv(BOOT_ID_VARIABLE);
    }
    if (id == null || id.isBlank()) {
      try {
        id = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id"));
      } catch (java.io.IOException e) {
        return null;
      }
    }
    return id.strip();
  }

  public static AgentConfig of(String master, Path workDir) {
    return new AgentConfig(master, "127.0.0.1", 5051, workDir, "", "", Duration.ofSeconds(3),
        Duration.ofSeconds(2), Map.of());
  }

  public AgentConfig withPort(int p) {
    return new AgentConfig(master, host, p, workDir, resources, attributes, killGracePeriod, updateRetry, settings);
  }

  public AgentConfig withResources(String r) {
    return new AgentConfig(master, host, port, workDir, r, attributes, killGracePeriod, updateRetry, settings);
  }

  /** These settings for containerizers instead of the current ones. */
  public AgentConfig withSettings(Map<String, String> s) {
    return new AgentConfig(master, host, port, workDir, resources, attributes, killGracePeriod, updateRetry, s);
  }

  public AgentConfig withAttributes(String a) {
    return new AgentConfig(master, host, port, workDir, resources, a, killGracePeriod, updateRetry, settings);
  }
}
