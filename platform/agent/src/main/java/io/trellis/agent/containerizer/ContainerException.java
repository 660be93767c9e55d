package io.trellis.agent.containerizer;

/** A task could not be started; the message says why and what to do. */
public final class ContainerException extends Exception {
  private static final long serialVersionUID = 1L;

  public ContainerException(String message) {
    super(message);
  }

  public ContainerException(String message, Throwable cause) {
    super(message, cause);
  }
}
