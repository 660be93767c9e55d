package io.trellis.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import io.trellis.security.ClientSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Plain JSON calls to a master, following a standby's redirect to the leader, with the
 * client's credentials and TLS settings.
 */
final class MasterHttp {
  private final ClientSecurity security;
  private final HttpClient http;

  MasterHttp(ClientSecurity security) {
    this.security = security;
    this.http = security.httpClient().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  HttpClient client() {
    return http;
  }

  ClientSecurity security() {
    return security;
  }

  /** A request to {@code path} of {@code endpoint} with this client's credentials. */
  HttpRequest.Builder request(String endpoint, String path) {
    return security.authorize(HttpRequest.newBuilder(URI.create(security.url(endpoint) + path)));
  }

  /** The message of a refusal, with what to do next when the server wants other credentials. */
  String refusal(String body, int status) {
    String message = message(body, status);
    return status == 401 || status == 403 ? message + "; " + security.refusalAdvice(status) : message;
  }

  String send(String endpoint, String method, String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder b = request(endpoint, path)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json(body)));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(security.unreachable("the master at " + endpoint, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the master", e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new TrellisApiException(r.statusCode(), refusal(r.body(), r.statusCode()));
    }
    return r.body();
  }

  static String json(Object body) {
    try {
      return body instanceof String s ? s : Json.mapper().writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String message(String body, int status) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node != null && node.hasNonNull("message")) {
        StringBuilder sb = new StringBuilder(node.get("message").asText());
        if (node.has("errors")) {
          for (JsonNode e : node.get("errors")) {
            sb.append("\n  ").append(e.path("path").asText()).append(": ").append(e.path("message").asText());
          }
        }
        return sb.toString();
      }
    } catch (IOException notJson) {
      // Fall through to the raw body.
    }
    return "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body);
  }
}
