package io.trellis.services;

import io.trellis.api.ErrorBody;
import java.util.List;
import java.util.Map;

/**
 * An error the API answers with its status: not found (404), conflict (409), invalid request
 * (400, 422). {@code extra} carries fields clients expect beside the message, such as the
 * deployments that lock an app.
 */
public class ServiceException extends RuntimeException {
  private final int status;
  private final List<ErrorBody.FieldError> errors;
  private final Map<String, Object> extra;

  public ServiceException(int status, String message) {
    this(status, message, List.of(), Map.of());
  }

  public ServiceException(int status, String message, List<ErrorBody.FieldError> errors,
      Map<String, Object> extra) {
    super(message);
    this.status = status;
    this.errors = List.copyOf(errors);
    this.extra = Map.copyOf(extra);
  }

  public static ServiceException notFound(String message) {
    return new ServiceException(404, message);
  }

  public static ServiceException invalid(List<ErrorBody.FieldError> errors) {
    return new ServiceException(422, "invalid app definition: " + errors.size()
        + (errors.size() == 1 ? " error" : " errors") + " (see details)", errors, Map.of());
  }

  public int status() {
    return status;
  }

  public List<ErrorBody.FieldError> errors() {
    return errors;
  }

  public Map<String, Object> extra() {
    return extra;
  }
}
