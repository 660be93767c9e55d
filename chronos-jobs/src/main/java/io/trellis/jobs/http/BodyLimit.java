package io.trellis.jobs.http;

import io.trellis.jobs.JobsException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.List;

/**
 * Refuses a body whose declared length is over {@link Bodies#MAX_BODY} with 413 before it is
 * read; a body sent in chunks is measured once read ({@link Bodies#parse}).
 */
@PreMatching
final class BodyLimit implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > Bodies.MAX_BODY) {
      throw new JobsException(413, "the request body of " + request.getLength() + " bytes exceeds "
          + Bodies.MAX_BODY + " bytes", List.of());
    }
  }
}
