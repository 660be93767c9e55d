package io.trellis.master.http;

import java.util.Optional;

/** Whether this master leads, and where the leader is when it does not. */
public interface Leadership {
  boolean isLeader();

  /** The leader's {@code host:port}, when known. */
  Optional<String> leaderEndpoint();

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
