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
