package io.trellis.services.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Small pieces of the API's responses. */
final class Http {
  private Http() {}

  static Response json(int status, Object body) {
    try {
      String text = body instanceof String s ? s : Views.MAPPER.writeValueAsString(body);
      return Response.status(status).type(MediaType.APPLICATION_JSON).entity(text).build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render " + body.getClass().getSimpleName(), e);
    }
  }

  /** {@code {"message": ...}}. */
  static ObjectNode message(String message) {
    return Views.MAPPER.createObjectNode().put("message", message);
  }

  /** {@code {"version": ..., "deploymentId": ...}} and any warnings. */
  static ObjectNode deploymentResult(String version, String deploymentId, List<String> warnings) {
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("version", version);
    node.put("deploymentId", deploymentId);
    warnings(node, warnings);
    return node;
  }

  static void warnings(ObjectNode node, List<String> warnings) {
    if (!warnings.isEmpty()) {
      warnings.forEach(w -> node.withArray("warnings").add(w));
    }
  }

  private static final int MAX_WARNING_HEADERS = 20;

  static Response.ResponseBuilder withWarnings(Response.ResponseBuilder b, List<String> warnings) {
    // The HTTP server sends at most 100 headers: past a few warnings, one says how many more.
    for (String w : warnings.subList(0, Math.min(MAX_WARNING_HEADERS, warnings.size()))) {
      b.header("Warning", "299 trellis \"" + w.replace("\"", "'") + "\"");
    }
    if (warnings.size() > MAX_WARNING_HEADERS) {
      b.header("Warning", "299 trellis \"and " + (warnings.size() - MAX_WARNING_HEADERS) + " more warnings\"");
    }
    return b;
  }
}
