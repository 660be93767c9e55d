package io.trellis.api;

import java.util.List;

/**
 * The JSON body of every error response: an HTTP status, a message saying what to do, and for
 * validation errors every bad field by JSON path.
 */
public record ErrorBody(int status, String message, List<FieldError> errors) {
  public ErrorBody {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public record FieldError(String path, String message) {}
}
