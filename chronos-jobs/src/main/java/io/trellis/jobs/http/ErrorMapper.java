package io.trellis.jobs.http;

import io.trellis.api.ErrorBody;
import io.trellis.jobs.JobsException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as a JSON {@link ErrorBody}; never a stack trace. */
final class ErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  @Override
  public Response toResponse(Throwable e) {
    ErrorBody body;
    if (e instanceof JobsException j) {
      body = j.body();
    } else if (e instanceof WebApplicationException web) {
      int status = web.getResponse().getStatus();
      body = new ErrorBody(status, status == 404 ? "no such endpoint" : status == 405
          ? "method not allowed on this endpoint" : web.getMessage(), List.of());
    } else {
      log.error("request failed", e);
      body = new ErrorBody(500, "internal error: " + e.getClass().getSimpleName()
          + "; the jobs framework log has the details", List.of());
    }
    return Response.status(body.status()).type(MediaType.APPLICATION_JSON).entity(Bodies.json(body)).build();
  }
}
