package io.trellis.master;

import java.time.Duration;

/**
 * Master settings.
 *
 * @param agentTimeout an agent silent this long is unreachable: its resources leave the offers
 *     and its tasks become UNREACHABLE
 * @param agentRemovalTimeout an unreachable agent that stays away this long is removed and its
 *     tasks become LOST
 * @param heartbeatInterval how often agents heartbeat and frameworks get HEARTBEAT events
 * @param offerTimeout how long an unanswered offer stays outstanding (null: forever)
 * @param defaultRefuse the filter of a decline or accept that names none, as in Mesos (5 s)
 */
public record MasterConfig(String host, int port, Duration agentTimeout,
    Duration agentRemovalTimeout, Duration heartbeatInterval, Duration offerTimeout,
    Duration defaultRefuse) {
  public static MasterConfig defaults() {
    return new MasterConfig("127.0.0.1", 5050, Duration.ofSeconds(15), Duration.ofMinutes(10),
        Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(5));
  }

  public MasterConfig withPort(int p) {
    return new MasterConfig(host, p, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout, defaultRefuse);
  }

  public MasterConfig withHost(String h) {
    return new MasterConfig(h, port, agentTimeout, agentRemovalTimeout, heartbeatInterval, offerTimeout, defaultRefuse);
  }

  public MasterConfig withAgentTimeouts(Duration unreachable, Duration removal) {
    return new MasterConfig(host, port, unreachable, removal, heartbeatInterval, offerTimeout, defaultRefuse);
  }

  public MasterConfig withHeartbeatInterval(Duration interval) {
    return new MasterConfig(host, port, agentTimeout, agentRemovalTimeout, interval, offerTimeout, defaultRefuse);
  }

  public String endpoint() {
    return host + ":" + port;
  }
}
