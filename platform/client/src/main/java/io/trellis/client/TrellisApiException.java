package io.trellis.client;

/** The master refused a call; the message is the master's explanation. */
public final class TrellisApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public TrellisApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
