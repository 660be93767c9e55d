package io.trellis.client.discovery;

/** No master led within the time a caller was willing to wait; the message says where it looked. */
public final class NoLeadingMasterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoLeadingMasterException(String message) {
    super(message);
  }
}
