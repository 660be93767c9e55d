package io.trellis.master;

import io.trellis.api.ErrorBody;
import java.util.List;

/** A request the master refuses, with the HTTP status and the message the caller sees. */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient List<ErrorBody.FieldError> errors;

  public ApiException(int status, String message) {
    this(status, message, List.of());
  }

  public ApiException(int status, String message, List<ErrorBody.FieldError> errors) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public ErrorBody body() {
    return new ErrorBody(status, getMessage(), errors);
  }
}
