package io.trellis.jobs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.api.Json;
import io.trellis.jobs.JobsException;

/** JSON bodies in and out, with unparsable input as 400. */
final class Bodies {
  static final int MAX_BODY = 1024 * 1024;

  private Bodies() {}

  static <T> T parse(String body, Class<T> type, String what) {
    if (body == null || body.isBlank()) {
      throw JobsException.badRequest("the request body is empty: send a JSON " + what);
    }
    if (body.length() > MAX_BODY) {
      throw new JobsException(413, "the request body exceeds " + MAX_BODY + " bytes", java.util.List.of());
    }
    try {
      return Json.mapper().readValue(body, type);
    } catch (JsonProcessingException e) {
      throw JobsException.badRequest("unparsable JSON for a " + what + ": " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"));
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
