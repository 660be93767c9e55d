package io.trellis.http;

import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * A malformed percent-escape in the raw path or query ({@code /v2/apps/%ZZ}, {@code ?x=%}) is a
 * 400 naming it; otherwise the request goes on to the handler this one guards. Without it the
 * server's URI decoding fails inside the handler and answers 500.
 */
final class EscapeCheck extends HttpHandler {
  private final HttpHandler guarded;

  EscapeCheck(HttpHandler guarded) {
    super(guarded.getName());
    this.guarded = guarded;
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String path = request.getRequestURI();
    String query = request.getQueryString();
    String bad = firstMalformed(path);
    if (bad == null && query != null) {
      bad = firstMalformed(query);
    }
    if (bad == null) {
      guarded.service(request, response);
      return;
    }
    byte[] body = ServerGuards.json(400, "malformed percent-escape '" + bad
        + "' in the request's path or query: write '%' as %25").getBytes(StandardCharsets.UTF_8);
    response.setStatus(400);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The first '%' not followed by two hex digits (with what follows it), or null. */
  static String firstMalformed(String raw) {
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return raw.substring(i, Math.min(raw.length(), i + 3));
      }
    }
    return null;
  }

  @Override
  public void start() {
    guarded.start();
  }

  @Override
  public void destroy() {
    guarded.destroy();
  }
}
