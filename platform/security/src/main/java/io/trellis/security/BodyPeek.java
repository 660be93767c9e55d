package io.trellis.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * What an access check before the endpoint needs from a request's JSON body (the id of an app or
 * a job): read, and put back for the endpoint to read again. A body that is not JSON, or longer
 * than the endpoint would take, yields {@code null}; the endpoint then refuses it itself.
 */
public final class BodyPeek {
  private BodyPeek() {}

  /** The body as JSON, or {@code null}; the body stays readable either way. */
  public static JsonNode json(ContainerRequestContext request, int max) throws IOException {
    if (!request.hasEntity()) {
      return null;
    }
    InputStream in = request.getEntityStream();
    byte[] head = in.readNBytes(max + 1);
    if (head.length > max) {
      request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), in));
      return null;
    }
    request.setEntityStream(new ByteArrayInputStream(head));
    try {
      return Json.mapper().readTree(head);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
