package io.trellis.agent.http;

import io.trellis.api.AgentProtocol;
import io.trellis.api.ErrorBody;
import io.trellis.api.Json;
import io.trellis.security.signing.SignatureVerifier;
import io.trellis.security.signing.SignedCall;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.glassfish.grizzly.http.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a call that changes anything on this agent (launch, kill, acknowledge: every method but
 * GET, HEAD and OPTIONS) only when a master holding the cluster key signed it, freshly, once, and
 * it names a leader epoch. Anything else is answered 401 (403 without an epoch) before the agent's
 * code sees it, and logged as a warning with the caller's address.
 */
@PreMatching
final class SignedCalls implements ContainerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(SignedCalls.class);
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  /** The largest body an agent reads (a batch of launches). */
  static final int MAX_BODY = 16 * 1024 * 1024;

  private final SignatureVerifier verifier;
  @Context
  private Provider<Request> grizzly;

  SignedCalls(SignatureVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    String method = request.getMethod();
    if (READS.contains(method)) {
      return;
    }
    byte[] body = request.hasEntity() ? request.getEntityStream().readNBytes(MAX_BODY + 1) : new byte[0];
    if (body.length > MAX_BODY) {
      abort(request, 413, "the request body exceeds " + MAX_BODY + " bytes", method, "");
      return;
    }
    request.setEntityStream(new ByteArrayInputStream(body));
    String path = request.getUriInfo().getRequestUri().getRawPath();
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    String target = query == null ? path : path + "?" + query;
    String epoch = request.getHeaderString(AgentProtocol.EPOCH_HEADER);
    try {
      verifier.verify(method, target, epoch, request.getHeaderString(SignedCall.TIMESTAMP_HEADER),
          request.getHeaderString(SignedCall.NONCE_HEADER), request.getHeaderString(SignedCall.SIGNATURE_HEADER), body);
    } catch (SignatureVerifier.Refused refused) {
      abort(request, 401, "refused: " + refused.getMessage(), method, target);
      return;
    }
    if (epoch == null || epoch.isBlank()) {
      abort(request, 403, "refused: a signed call must name the master's leader epoch in the "
          + AgentProtocol.EPOCH_HEADER + " header", method, target);
    }
  }

  private void abort(ContainerRequestContext request, int status, String message, String method, String target) {
    log.warn("SECURITY: refused {} {} from {}: {}", method, target, caller(), message);
    String body;
    try {
      body = Json.mapper().writeValueAsString(new ErrorBody(status, message, List.of()));
    } catch (IOException impossible) {
      body = "{}";
    }
    request.abortWith(Response.status(status).type("application/json").entity(body).build());
  }

  private String caller() {
    try {
      Request r = grizzly == null ? null : grizzly.get();
      return r == null ? "an unknown address" : r.getRemoteAddr();
    } catch (RuntimeException e) {
      return "an unknown address";
    }
  }
}
