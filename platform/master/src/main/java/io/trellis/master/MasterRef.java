package io.trellis.master;

/**
 * The master state the HTTP layer talks to. A master that (re)gains leadership starts from a
 * fresh {@link Master} loaded from the state store; one that loses it drops its state.
 */
public final class MasterRef {
  private volatile Master current;

  public MasterRef(Master initial) {
    this.current = initial;
  }

  /** The current master state; the leadership filter keeps standbys from reaching it. */
  public Master get() {
    Master m = current;
    if (m == null) {
      throw new ApiException(503, "this master is not leading; retry against the leader");
    }
    return m;
  }

  /** Whether a master leads here and its recovery is over; never throws. */
  public boolean recovered() {
    Master m = current;
    return m != null && m.recovered();
  }

  void set(Master m) {
    current = m;
  }

  Master peek() {
    return current;
  }

  boolean isSet() {
    return current != null;
  }
}
