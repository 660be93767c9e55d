package io.trellis.master.state;

/**
 * A write was refused because a newer leader has advanced the epoch: this master no longer leads
 * and must stop writing. Nothing of the refused write was stored.
 */
public final class FencedException extends StateStoreException {
  private static final long serialVersionUID = 1L;
  private final long epoch;

  public FencedException(String message, long epoch) {
    super(message);
    this.epoch = epoch;
  }

  /** The epoch of the master whose write was refused. */
  public long epoch() {
    return epoch;
  }
}
