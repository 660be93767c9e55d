package io.trellis.master.state;

/** A compare-and-set found the entity at another version (or present, or absent) than expected. */
public final class VersionConflictException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  public VersionConflictException(String message) {
    super(message);
  }
}
