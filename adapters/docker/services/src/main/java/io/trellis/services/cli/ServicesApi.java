package io.trellis.services.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The CLI's client of the {@code /v2} API; errors become messages naming what was wrong. */
final class ServicesApi {
  private final io.trellis.plugin.ApiEndpoint api;

  ServicesApi(String base, io.trellis.security.ClientSecurity security) {
    this.api = new io.trellis.plugin.ApiEndpoint(base, security);
  }

  /** A failed call: the message says what to fix. */
  static final class ApiError extends RuntimeException {
    ApiError(String message) {
      super(message);
    }
  }

  JsonNode call(String method, String path, String body) {
    HttpRequest request = api.request(path).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    HttpResponse<String> r;
    try {
      r = api.http().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new ApiError("cannot reach the services API at " + api.base() + ": is `trellis services` or `trellis local` running? (--services URL)");
    } catch (IOException e) {
      throw new ApiError(method + " " + api.base() + path + " failed: " + api.security().unreachable("the services API", e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError("interrupted");
    }
    JsonNode json;
    try {
      json = r.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
    } catch (IOException e) {
      throw new ApiError(api.base() + path + " answered " + r.statusCode() + " with a body that is not JSON");
    }
    if (r.statusCode() == 409 && json.has("deployments")) {
      List<String> ids = new ArrayList<>();
      json.path("deployments").forEach(d -> ids.add(d.path("id").asText()));
      throw new ApiError("the app is locked by deployment " + String.join(", ", ids)
          + ": wait for it to finish (`trellis app show`), or run the command again with --force"
          + " to override it");
    }
    if (r.statusCode() >= 400) {
      StringBuilder sb = new StringBuilder(json.path("message").asText("HTTP " + r.statusCode()));
      for (JsonNode e : json.path("errors")) {
        sb.append("\n  ").append(e.path("path").asText()).append(": ").append(e.path("message").asText());
      }
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        sb.append("; ").append(api.security().refusalAdvice(r.statusCode()));
      }
      throw new ApiError(sb.toString());
    }
    return json;
  }
}
