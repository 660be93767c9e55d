package io.trellis.services.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trellis.api.ErrorBody.FieldError;
import io.trellis.services.ServiceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error leaves as JSON, never a stack trace: {@code status}, {@code message}, every bad
 * field in {@code errors} ({@code path}, {@code message}) and, for existing clients, the same in
 * {@code details} ({@code path}, {@code errors}).
 */
final class ErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    int status;
    String message;
    List<FieldError> errors = List.of();
    Map<String, Object> extra = Map.of();
    if (e instanceof ServiceException s) {
      status = s.status();
      message = s.getMessage();
      errors = s.errors();
      extra = s.extra();
    } else if (e instanceof io.trellis.services.store.StoreException store) {
      log.warn("state store failure: {}", store.getMessage());
      status = 503;
      message = "the state store (ZooKeeper) failed: " + store.getMessage() + "; retry once it is reachable";
    } else if (e instanceof WebApplicationException web) {
      status = web.getResponse().getStatus();
      message = status == 404 ? "no such endpoint" : status == 405 ? "method not allowed on this endpoint"
          : status == 415 ? "send the body as application/json" : web.getMessage();
    } else {
      log.error("request failed", e);
      status = 500;
      message = "internal error: " + e.getClass().getSimpleName() + "; the services log has the details";
    }
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(status, message, errors, extra)).build();
  }

  /** Messages that quote a request's values are cut to this length: the answer never echoes a huge body. */
  private static final int MAX_MESSAGE = 500;
  /** At most this many bad fields are listed. */
  private static final int MAX_ERRORS = 100;

  static String body(int status, String message, List<FieldError> errors, Map<String, Object> extra) {
    ObjectNode node = Views.MAPPER.createObjectNode();
    node.put("status", status);
    node.put("message", cut(message));
    errors = errors.stream().limit(MAX_ERRORS).map(f -> new FieldError(cut(f.path()), cut(f.message()))).toList();
    ArrayNode list = node.putArray("errors");
    ArrayNode details = Views.MAPPER.createArrayNode();
    for (FieldError f : errors) {
      list.addObject().put("path", f.path()).put("message", f.message());
      ObjectNode d = details.addObject().put("path", f.path().replaceFirst("^\\$", "").replace('.', '/'));
      d.putArray("errors").add(f.message());
    }
    if (!errors.isEmpty()) {
      node.set("details", details);
    }
    extra.forEach((k, v) -> node.set(k, Views.MAPPER.valueToTree(v)));
    return node.toString();
  }

  private static String cut(String s) {
    return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "... (" + s.length() + " characters)";
  }
}
