package io.trellis.master.state;

/** A value larger than {@link StateStore#MAX_VALUE_BYTES}; nothing was written. */
public final class EntityTooLargeException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  public EntityTooLargeException(String message) {
    super(message);
  }
}
