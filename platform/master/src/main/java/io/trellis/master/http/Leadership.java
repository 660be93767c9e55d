package io.trellis.master.http;

import java.util.Optional;

/** Whether this master leads, and where the leader is when it does not. */
public interface Leadership {
  boolean isLeader();

  /** The leader's {@code host:port}, when known; never waits for ZooKeeper. */
  Optional<String> leaderEndpoint();

  /** Whether ZooKeeper, where the leader is elected, is reachable now (answered from memory). */
  default boolean zooKeeperReachable() {
    return true;
  }

  Leadership ALWAYS = new Leadership() {
    @Override
    public boolean isLeader() {
      return true;
    }

    @Override
    public Optional<String> leaderEndpoint() {
      return Optional.empty();
    }
  };
}
