package io.trellis.services.http;

import io.trellis.services.ha.Leadership;
import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a standby instance, passes every API call on to the leader and answers with the leader's
 * response, so clients may call any instance. The event stream is redirected instead (307), and
 * {@code /ping}, {@code /v2/ping}, {@code /v2/info}, {@code /v2/leader} and {@code /health} are
 * answered here.
 * A call that already came through another instance is not passed on again.
 */
@PreMatching
@Priority(100)
final class LeaderProxy implements ContainerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(LeaderProxy.class);
  /** Set on calls passed on to the leader; its value is the instance that passed it on. */
  static final String VIA = "X-Trellis-Services-Via";
  private static final Set<String> LOCAL = Set.of("ping", "v2/ping", "v2/info", "v2/leader", "health");
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host",
      "keep-alive", "transfer-encoding", "upgrade", "expect");

  private final Leadership leadership;
  private final io.trellis.security.ClientSecurity peers;
  private final HttpClient http;

  /**
   * @param peers the TLS settings to reach the other instances with; the caller's own
   *     credentials (its {@code Authorization} header) travel with the call, none are added
   */
  LeaderProxy(Leadership leadership, io.trellis.security.ClientSecurity peers) {
    this.leadership = leadership;
    this.peers = peers;
    this.http = peers.httpClient()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    String path = request.getUriInfo().getPath();
    if (leadership.leading() || LOCAL.contains(stripSlashes(path))) {
      return;
    }
    if (!leadership.zooKeeperReachable()) {
      request.abortWith(Http.json(503, Http.message("ZooKeeper is unreachable from this services instance,"
          + " so no instance can be known to lead; retry once ZooKeeper is back")));
      return;
    }
    String leader = leadership.leader().filter(l -> !l.equals(leadership.self())).orElse(null);
    if (leader == null || request.getHeaderString(VIA) != null) {
      request.abortWith(Http.json(503, Http.message("no services instance leads yet (leader "
          + "election in progress); retry in a few seconds")));
      return;
    }
    URI target = URI.create(peers.url(leader) + request.getUriInfo().getRequestUri().getRawPath()
        + query(request.getUriInfo().getRequestUri()));
    if (stripSlashes(path).startsWith("v2/events")) {
      request.abortWith(Response.temporaryRedirect(target).build());
      return;
    }
    request.abortWith(passOn(request, target, leader));
  }

  private Response passOn(ContainerRequestContext request, URI target, String leader)
      throws IOException {
    byte[] body = request.hasEntity() ? request.getEntityStream().readAllBytes() : new byte[0];
    HttpRequest.Builder b = HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(60))
        .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .header(VIA, leadership.self());
    request.getHeaders().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))
          && !name.equalsIgnoreCase(VIA)) {
        values.forEach(v -> b.header(name, v));
      }
    });
    HttpResponse<byte[]> answer;
    try {
      answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Http.json(503, Http.message("interrupted while passing the call on to the leader"));
    } catch (IOException e) {
      log.debug("passing {} {} on to the leader {} failed: {}", request.getMethod(), target,
          leader, e.toString());
      return Http.json(503, Http.message("the services leader at " + leader
          + " does not answer (" + e.getMessage() + "); retry in a few seconds"));
    }
    Response.ResponseBuilder r = Response.status(answer.statusCode());
    answer.headers().map().forEach((name, values) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> r.header(name, v));
      }
    });
    r.header(VIA, leader);
    if (answer.body().length > 0) {
      r.entity(answer.body());
      answer.headers().firstValue(HttpHeaders.CONTENT_TYPE).ifPresent(r::type);
    }
    return r.build();
  }

  private static String query(URI uri) {
    return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
  }

  private static String stripSlashes(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
