package io.trellis.agent.http;

import io.trellis.api.ErrorBody;
import io.trellis.api.Json;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Errors as JSON, never a stack trace. */
final class JsonErrors implements ExceptionMapper<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(JsonErrors.class);

  @Override
  public Response toResponse(Throwable e) {
    int status;
    String message;
    if (e instanceof WebApplicationException web) {
      status = web.getResponse().getStatus();
      message = web.getMessage();
    } else if (e instanceof IllegalArgumentException) {
      status = 400;
      message = e.getMessage();
    } else {
      log.error("request failed", e);
      status = 500;
      message = "internal error: " + e.getClass().getSimpleName() + "; the agent log has the details";
    }
    try {
      return Response.status(status).type("application/json")
          .entity(Json.mapper().writeValueAsString(new ErrorBody(status, message, List.of()))).build();
    } catch (java.io.IOException impossible) {
      return Response.status(status).build();
    }
  }
}
