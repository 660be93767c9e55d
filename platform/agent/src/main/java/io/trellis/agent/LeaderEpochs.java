package io.trellis.agent;

import jakarta.ws.rs.ClientErrorException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest leader epoch this agent has seen: from the leader published in ZooKeeper, from its
 * registration, and from the calls masters make. A call from a master of an older epoch comes
 * from a deposed leader and is refused, so that it cannot launch or kill anything here.
 */
final class LeaderEpochs {
  private static final Logger log = LoggerFactory.getLogger(LeaderEpochs.class);
  private final AtomicLong newest = new AtomicLong(-1);

  /** An epoch known to be a leader's (the published leader, or the master that registered us). */
  void seen(long epoch) {
    newest.accumulateAndGet(epoch, Math::max);
  }

  long newest() {
    return newest.get();
  }

  /**
   * Admits a master's call that names {@code header} as its epoch, or refuses it (409) when a
   * newer leader is known. A call naming no epoch (an operator's tool) is admitted.
   *
   * @param what the call, for the refusal, such as {@code "launch"}
   */
  void admit(String header, String what) {
    if (header == null || header.isBlank()) {
      return;
    }
    long epoch;
    try {
      epoch = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad leader epoch '" + header + "' in the "
          + io.trellis.api.AgentProtocol.EPOCH_HEADER + " header: expected a whole number");
    }
    long known = newest.accumulateAndGet(epoch, Math::max);
    if (epoch < known) {
      log.warn("refused a {} from a master of leader epoch {}: the leader's epoch is {}", what, epoch, known);
      throw new ClientErrorException("refused " + what + " from a master of leader epoch " + epoch
          + ": this agent follows the leader of epoch " + known + "; that master was deposed", 409);
    }
  }
}
