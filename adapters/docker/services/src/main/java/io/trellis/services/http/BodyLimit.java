package io.trellis.services.http;

import io.trellis.services.app.AppReader;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Refuses a request body whose Content-Length is over {@link AppReader#MAX_BODY} with 413 before
 * it is read (a chunked body is measured once read, by {@link AppReader}). Runs before a standby
 * passes the call on to the leader.
 */
@PreMatching
@Priority(50)
final class BodyLimit implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > AppReader.MAX_BODY) {
      request.abortWith(Http.json(413, ErrorMapper.body(413, "the request body exceeds " + AppReader.MAX_BODY
          + " bytes", java.util.List.of(), java.util.Map.of())));
    }
  }
}
