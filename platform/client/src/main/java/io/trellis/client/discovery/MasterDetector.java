package io.trellis.client.discovery;

import java.time.Duration;
import java.util.Optional;

/**
 * Finds the leading master. Frameworks, agents and the CLI send their calls to the master it
 * names and, when that master stops answering, wait for the next one.
 */
public interface MasterDetector extends AutoCloseable {
  /** The leading master as last seen, or empty while there is none (or none is known). */
  Optional<MasterInfo> current();

  /**
   * The leading master, waiting up to {@code timeout} for one to appear.
   *
   * @throws NoLeadingMasterException if none leads within the timeout
   * @throws IllegalStateException if the detector is closed
   */
  MasterInfo await(Duration timeout) throws InterruptedException;

  /**
   * A leading master other than {@code previous} (another master, or the same one elected
   * again in a later epoch), waiting up to {@code timeout} for one. A client whose master went
   * away calls this with the master it lost.
   *
   * @throws NoLeadingMasterException if no other master leads within the timeout
   * @throws IllegalStateException if the detector is closed
   */
  MasterInfo awaitChange(MasterInfo previous, Duration timeout) throws InterruptedException;

  /**
   * Calls {@code listener} after each change of leader, in order, with the new leader or empty
   * when there is none. Register before reading {@link #current()} to miss no change. The
   * listener runs on the detector's thread and must return quickly.
   */
  void addListener(Listener listener);

  void removeListener(Listener listener);

  /** Where this detector looks, such as {@code zk://127.0.0.1:2181/trellis}. */
  String source();

  /** Stops watching; waiting callers fail with IllegalStateException. */
  @Override
  void close();

  /** Told of every change of leader. */
  @FunctionalInterface
  interface Listener {
    void onChange(Optional<MasterInfo> leader);
  }
}
