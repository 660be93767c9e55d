package io.trellis.master.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.trellis.api.Json;
import io.trellis.master.ApiException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** JSON bodies in and out, and waiting on the event loop, with errors as API errors. */
final class Bodies {
  static final int MAX_BODY = 4 * 1024 * 1024;
  /** How long a call waits for the event loop before it is answered 503. */
  static final int WAIT_SECONDS = 30;

  private Bodies() {}

  static <T> T parse(String body, Class<T> type) {
    return parse(body, type, MAX_BODY);
  }

  /** Parses a body of at most {@code maxBytes} (a 413 beyond it). */
  static <T> T parse(String body, Class<T> type, int maxBytes) {
    if (body == null || body.isBlank()) {
      throw new ApiException(400, "the request body is empty: send a JSON " + type.getSimpleName());
    }
    if (body.length() > maxBytes) {
      throw new ApiException(413, "the request body exceeds " + maxBytes + " bytes");
    }
    try {
      return Json.read(body, type);
    } catch (JsonProcessingException e) {
      throw new ApiException(400, Json.unparsable(type.getSimpleName(), e));
    }
  }

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
    }
  }

  /** Waits for work submitted to the event loop, unwrapping its failure. */
  static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for the master");
    } catch (TimeoutException e) {
      throw new ApiException(503, "the master did not answer within " + WAIT_SECONDS + " s; retry");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }
}
