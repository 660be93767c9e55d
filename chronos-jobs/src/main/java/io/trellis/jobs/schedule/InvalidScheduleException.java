package io.trellis.jobs.schedule;

/** A schedule that cannot be parsed; the message names the bad text and the expected form. */
public final class InvalidScheduleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidScheduleException(String message) {
    super(message);
  }
}
