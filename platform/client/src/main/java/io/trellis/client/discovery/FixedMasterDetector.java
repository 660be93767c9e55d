package io.trellis.client.discovery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One master at a fixed address, for a cluster without ZooKeeper: it always leads, in epoch 0,
 * under its endpoint as id. It never changes, so {@link #awaitChange} waits out its timeout.
 */
public final class FixedMasterDetector implements MasterDetector {
  private final MasterInfo master;
  private final LeaderState state;

  /** @param endpoint {@code host:port} of the master */
  public FixedMasterDetector(String endpoint) {
    this.master = new MasterInfo(endpoint, endpoint, 0);
    this.state = new LeaderState(endpoint, master);
  }

  @Override
  public Optional<MasterInfo> current() {
    return state.current();
  }

  @Override
  public MasterInfo await(Duration timeout) throws InterruptedException {
    return Objects.requireNonNull(state.await(m -> true, timeout));
  }

  @Override
  public MasterInfo awaitChange(MasterInfo previous, Duration timeout) throws InterruptedException {
    MasterInfo next = state.await(m -> !m.equals(previous), timeout);
    if (next == null) {
      throw new NoLeadingMasterException("no master other than " + previous + " after "
          + LeaderState.show(timeout) + ": the master is fixed at " + master.endpoint()
          + "; use zk://host:port/path to follow a leader election");
    }
    return next;
  }

  @Override
  public void addListener(Listener listener) {
    state.addListener(listener);
  }

  @Override
  public void removeListener(Listener listener) {
    state.removeListener(listener);
  }

  @Override
  public String source() {
    return master.endpoint();
  }

  @Override
  public void close() {
    state.close();
  }

  @Override
  public String toString() {
    return "FixedMasterDetector[" + master.endpoint() + "]";
  }
}
