package io.trellis.jobs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.api.ErrorBody;
import io.trellis.api.Json;
import java.util.List;
import io.trellis.jobs.JobsException;

/** JSON bodies in and out, with unparsable input as 400. */
final class Bodies {
  /** A job definition is small: this leaves room in a ZooKeeper node (1 MB) for all it holds. */
  static final int MAX_BODY = 256 * 1024;

  private Bodies() {}

  static <T> T parse(String body, Class<T> type, String what) {
    if (body == null || body.isBlank()) {
      throw JobsException.badRequest("the request body is empty: send a JSON " + what);
    }
    if (body.length() > MAX_BODY) {
      throw new JobsException(413, "the request body exceeds " + MAX_BODY + " bytes", List.of());
    }
    try {
      return Json.read(body, type);
    } catch (JsonProcessingException e) {
      if (Json.isInvalidValue(e)) {
        throw JobsException.invalid(List.of(new ErrorBody.FieldError(Json.path(e), Json.describe(e))));
      }
      throw JobsException.badRequest("unparsable JSON for a " + what + ": " + Json.describe(e));
    }
  }

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
    }
  }
}
