package io.trellis.jobs;

import io.trellis.api.ErrorBody;
import java.util.List;

/**
 * The one error type of the jobs framework: an HTTP status and a message that names the bad
 * value, plus every invalid field by JSON path for 422.
 */
public final class JobsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The message names this many invalid fields, the body lists up to {@link #MAX_ERRORS}. */
  private static final int MAX_LISTED = 10;
  private static final int MAX_ERRORS = 100;
  private final transient ErrorBody body;

  public JobsException(int status, String message, List<ErrorBody.FieldError> errors) {
    super(message);
    this.body = new ErrorBody(status, message, errors);
  }

  public static JobsException notFound(String name) {
    return new JobsException(404, "no job named '" + name + "'", List.of());
  }

  public static JobsException conflict(String message) {
    return new JobsException(409, message, List.of());
  }

  public static JobsException badRequest(String message) {
    return new JobsException(400, message, List.of());
  }

  public static JobsException invalid(List<ErrorBody.FieldError> errors) {
    StringBuilder m = new StringBuilder("invalid job:");
    for (ErrorBody.FieldError e : errors.subList(0, Math.min(errors.size(), MAX_LISTED))) {
      m.append(' ').append(e.path()).append(": ").append(e.message()).append(';');
    }
    m.setLength(m.length() - 1);
    if (errors.size() > MAX_LISTED) {
      m.append("; and ").append(errors.size() - MAX_LISTED).append(" more");
    }
    List<ErrorBody.FieldError> listed = errors.subList(0, Math.min(errors.size(), MAX_ERRORS));
    return new JobsException(422, m.toString(), List.copyOf(listed));
  }

  public static JobsException notLeader(String leader) {
    return new JobsException(503, leader == null ? "no jobs framework leads at the moment; retry"
        : "this instance does not lead; the leader is " + leader, List.of());
  }

  public ErrorBody body() {
    return body;
  }

  public int status() {
    return body.status();
  }
}
