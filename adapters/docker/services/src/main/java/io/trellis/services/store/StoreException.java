package io.trellis.services.store;

/** ZooKeeper could not read or write the framework's state. */
public final class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
