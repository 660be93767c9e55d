package io.trellis.client.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last known leader of one detector: waiting callers block on it and listeners hear of each
 * change. Updates come from one thread at a time, so listeners see changes in order.
 */
final class LeaderState {
  private static final Logger log = LoggerFactory.getLogger(LeaderState.class);
  private final String source;
  private final List<MasterDetector.Listener> listeners = new CopyOnWriteArrayList<>();
  private MasterInfo leader; // guarded by this
  private boolean closed; // guarded by this

  /** @param leader the leader known from the start, or null */
  LeaderState(String source, MasterInfo leader) {
    this.source = source;
    this.leader = leader;
  }

  synchronized Optional<MasterInfo> current() {
    return Optional.ofNullable(leader);
  }

  /** Records the new leader (null: none) and tells the listeners if it changed. */
  void set(MasterInfo next) {
    synchronized (this) {
      if (closed || Objects.equals(leader, next)) {
        return;
      }
      leader = next;
      notifyAll();
    }
    if (next == null) {
      log.info("no leading master at {}", source);
    } else {
      log.info("leading master at {} is {}", source, next);
    }
    Optional<MasterInfo> change = Optional.ofNullable(next);
    for (MasterDetector.Listener listener : listeners) {
      try {
        listener.onChange(change);
      } catch (RuntimeException e) {
        log.error("master listener {} failed on leader change to {}", listener, change, e);
      }
    }
  }

  /** Waits for a leader {@code wanted} accepts; null after the timeout. */
  synchronized MasterInfo await(Predicate<MasterInfo> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (closed) {
        throw new IllegalStateException("master detector for " + source + " is closed");
      }
      if (leader != null && wanted.test(leader)) {
        return leader;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      long millis = Math.max(1, left / 1_000_000);
      wait(millis);
    }
  }

  void addListener(MasterDetector.Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void removeListener(MasterDetector.Listener listener) {
    listeners.remove(listener);
  }

  synchronized void close() {
    closed = true;
    listeners.clear();
    notifyAll();
  }

  /** {@code 10s}, {@code 1m30s}, {@code 250ms}: how error messages show a timeout. */
  static String show(Duration d) {
    if (d.toMillis() < 1000 || d.toMillisPart() != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    return s % 60 == 0 ? s / 60 + "m" : s / 60 + "m" + s % 60 + "s";
  }
}
