package io.trellis.master.http;

import io.trellis.master.ClusterPages;
import io.trellis.master.MasterRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code /proxy/<framework id>/<path>}: the master passes a call on to the API a framework serves
 * (the address it gave when it subscribed), so the web UI reaches the services and jobs APIs from
 * the master's own origin. The caller's own credentials go with the call and the framework decides
 * what they may do; with security on, only frameworks that Trellis' own services and jobs
 * principals subscribed are reached, so no token is handed to a framework anyone could register.
 */
final class FrameworkProxy extends HttpHandler {
  static final String PREFIX = "/proxy/";
  /** Principals whose frameworks' APIs the master passes calls on to. */
  private static final Set<String> TRUSTED = Set.of("services", "jobs");
  private static final int MAX_BODY = 8 * 1024 * 1024;
  private static final Set<String> PASSED = Set.of("Authorization", "Content-Type", "Accept");

  private final MasterRef master;

  FrameworkProxy(MasterRef master) {
    super("trellis-framework-proxy");
    this.master = master;
  }

  static boolean serves(String path) {
    return path.startsWith(PREFIX);
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    String rest = request.getRequestURI().substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String framework = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "/" : rest.substring(slash);
    Optional<ClusterPages.WebTarget> target;
    try {
      target = Bodies.await(master.get().loop().submit(() -> ClusterPages.webTarget(master.get(), framework)));
    } catch (io.trellis.master.ApiException e) {
      answer(response, e.status(), e.getMessage());
      return;
    }
    if (target.isEmpty()) {
      answer(response, 404, "no framework " + shorten(framework) + " with an API of its own is subscribed to this master");
      return;
    }
    String principal = target.get().principal();
    if (!principal.isEmpty() && !TRUSTED.contains(principal)) {
      answer(response, 403, "the master passes calls on only to the services and jobs frameworks; open "
          + target.get().url() + " directly");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      answer(response, 413, "the request body exceeds " + MAX_BODY + " bytes");
      return;
    }
    String query = request.getQueryString();
    URI uri;
    try {
      uri = URI.create(target.get().url() + path + (query == null ? "" : "?" + query));
    } catch (IllegalArgumentException e) {
      answer(response, 400, "cannot pass on the path " + shorten(path) + ": " + e.getMessage());
      return;
    }
    HttpRequest.Builder call = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(request.getMethod().getMethodString(), body.length == 0 && !hasBody(request)
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (String header : PASSED) {
      String value = request.getHeader(header);
      if (value != null) {
        call.header(header, value);
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = ClusterPages.webClient(master.get()).send(call.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(response, 503, "interrupted while passing the call on to " + target.get().url());
      return;
    } catch (IOException | RuntimeException e) {
      answer(response, 502, "framework " + shorten(framework) + " at " + target.get().url() + " did not answer ("
          + e.getClass().getSimpleName() + "); it may be failing over: try again in a few seconds");
      return;
    }
    response.setStatus(answer.statusCode());
    answer.headers().firstValue("Content-Type").ifPresent(response::setContentType);
    answer.headers().firstValue("Location").ifPresent(l -> response.setHeader("Location", l));
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }

  private static boolean hasBody(Request request) {
    return request.getContentLength() > 0 || request.getHeader("Transfer-Encoding") != null;
  }

  private static void answer(Response response, int status, String message) throws IOException {
    byte[] body = io.trellis.http.ServerGuards.json(status, message).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String shorten(String value) {
    return value.length() > 100 ? value.substring(0, 100) + "..." : value;
  }
}
