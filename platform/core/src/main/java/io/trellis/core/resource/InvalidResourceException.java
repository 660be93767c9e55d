package io.trellis.core.resource;

/** Resource text or arithmetic that cannot be honoured; the message names the bad value. */
public final class InvalidResourceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidResourceException(String message) {
    super(message);
  }
}
