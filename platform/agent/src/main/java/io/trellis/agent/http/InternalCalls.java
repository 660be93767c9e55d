package io.trellis.agent.http;

import io.trellis.security.Action;
import io.trellis.security.RequestSecurity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * The agent's {@code /internal} endpoints take orders (launch, kill, acknowledge) only from
 * principals allowed {@code control_agent} on the endpoint: the masters.
 */
@PreMatching
final class InternalCalls implements ContainerRequestFilter {
  private static final String PREFIX = "internal/";

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    String relative = path.replaceFirst("^/+", "");
    if (relative.startsWith(PREFIX)) {
      RequestSecurity.require(request, Action.CONTROL_AGENT, relative.substring(PREFIX.length()));
    }
  }
}
