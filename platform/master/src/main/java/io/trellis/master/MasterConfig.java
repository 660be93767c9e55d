package io.trellis.master;

import java.time.Duration;

/**
 * Master settings.
 *
 * @param agentTimeout an agent silent this long is unreachable: its resources leave the offers
 *     and its tasks become UNREACHABLE (75 s by default, as Mesos' agent ping timeout)
 * @param agentRemovalTimeout an unreachable agent that stays away this long is removed and its
 *     tasks become LOST
 * @param heartbeatInterval how often agents heartbeat and frameworks get HEARTBEAT events
 * @param offerTimeout how long an unanswered offer stays outstanding (null: forever)
 * @param defaultRefuse the filter of a decline or accept that names none, as in Mesos (5 s)
 * @param launchTimeout a task still STAGING this long after its launch was sent is FAILED and
 *     killed on its agent: the agent never started it
 * @param zkSessionTimeout the ZooKeeper session timeout; a leader that cannot confirm its session
 *     for two thirds of it stops acting as leader
 * @param preemption how the master takes resources back to honour guarantees (and fair shares)
 */
public record MasterConfig(String host, int port, Duration agentTimeout,
    Duration agentRemovalTimeout, Duration heartbeatInterval, Duration offerTimeout,
    Duration defaultRefuse, Duration launchTimeout, Duration zkSessionTimeout, PreemptionConfig preemption) {
  public static final Duration DEFAULT_LAUNCH_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_ZK_SESSION_TIMEOUT = Duration.ofSeconds(10);

  public MasterConfig {
    positive(agentTimeout, "agent timeout");
    positive(agentRemovalTimeout, "agent removal timeout");
    positive(heartbeatInterval, "heartbeat interval");
    positive(launchTimeout, "launch timeout");
    positive(zkSessionTimeout, "ZooKeeper session timeout");
    if (preemption == null) {
      throw new IllegalArgumentException("the preemption settings are required");
    }
  }

  /** Settings with the default preemption. */
  public MasterConfig(String host, int port, Duration agentTimeout, Duration agentRemovalTimeout,
      Duration heartbeatInterval, Duration offerTimeout, Duration defaultRefuse, Duration launchTimeout,
      Duration zkSessionTimeout) {
    this(host, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout, defaultRefuse,
        launchTimeout, zkSessionTimeout, PreemptionConfig.DEFAULTS);
  }

  /** Settings with the default launch and ZooKeeper session timeouts. */
  public MasterConfig(String host, int port, Duration agentTimeout, Duration agentRemovalTimeout,
      Duration heartbeatInterval, Duration offerTimeout, Duration defaultRefuse) {
    this(host, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout, defaultRefuse,
        DEFAULT_LAUNCH_TIMEOUT, DEFAULT_ZK_SESSION_TIMEOUT);
  }

  private static void positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be a positive duration, got " + d);
    }
  }

  public static MasterConfig defaults() {
    return new MasterConfig("127.0.0.1", 5050, Duration.ofSeconds(75), Duration.ofMinutes(10),
        Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(5));
  }

  public MasterConfig withPort(int p) {
    return new MasterConfig(host, p, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout,
        defaultRefuse, launchTimeout, zkSessionTimeout, preemption);
  }

  public MasterConfig withHost(String h) {
    return new MasterConfig(h, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout,
        defaultRefuse, launchTimeout, zkSessionTimeout, preemption);
  }

  public MasterConfig withAgentTimeouts(Duration unreachable, Duration removal) {
    return new MasterConfig(host, port, unreachable, removal, heartbeatInterval, offerTimeout, defaultRefuse,
        launchTimeout, zkSessionTimeout, preemption);
  }

  public MasterConfig withHeartbeatInterval(Duration interval) {
    return new MasterConfig(host, port, agentTimeout, agentRemovalTimeout, interval, offerTimeout, defaultRefuse,
        launchTimeout, zkSessionTimeout, preemption);
  }

  public MasterConfig withLaunchTimeout(Duration timeout) {
    return new MasterConfig(host, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout,
        defaultRefuse, timeout, zkSessionTimeout, preemption);
  }

  public MasterConfig withZkSessionTimeout(Duration timeout) {
    return new MasterConfig(host, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout,
        defaultRefuse, launchTimeout, timeout, preemption);
  }

  public MasterConfig withPreemption(PreemptionConfig p) {
    return new MasterConfig(host, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout,
        defaultRefuse, launchTimeout, zkSessionTimeout, p);
  }

  public String endpoint() {
    return host + ":" + port;
  }
}
