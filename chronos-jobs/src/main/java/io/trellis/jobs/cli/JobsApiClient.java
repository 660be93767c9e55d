package io.trellis.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client of the jobs API for the {@code trellis job} commands. */
final class JobsApiClient {
  private final io.trellis.plugin.ApiEndpoint api;

  JobsApiClient(String base, io.trellis.security.ClientSecurity security) {
    this.api = new io.trellis.plugin.ApiEndpoint(base, security);
  }

  /** The response body; a {@link JobsApiException} with the API's message for any error status. */
  String send(String method, String path, String body) {
    HttpRequest.Builder b = api.request(path).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r;
    try {
      r = api.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new JobsApiException("cannot reach the jobs API at " + api.base() + ": is 'trellis jobs' (or 'trellis local') running?");
    } catch (IOException e) {
      throw new JobsApiException("the jobs API at " + api.base() + " failed: " + api.security().unreachable(api.base(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobsApiException("interrupted");
    }
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new JobsApiException(message(r) + "; " + api.security().refusalAdvice(r.statusCode()));
    }
    if (r.statusCode() >= 300) {
      throw new JobsApiException(message(r));
    }
    return r.body();
  }

  JsonNode json(String method, String path, String body) {
    String s = send(method, path, body);
    try {
      return Json.mapper().readTree(s);
    } catch (IOException e) {
      throw new JobsApiException("the jobs API answered with unreadable JSON: " + e.getMessage());
    }
  }

  private static String message(HttpResponse<String> r) {
    try {
      JsonNode n = Json.mapper().readTree(r.body());
      StringBuilder m = new StringBuilder(n.path("errors").isEmpty() ? n.path("message").asText("HTTP " + r.statusCode())
          : "the jobs API refused the job (HTTP " + r.statusCode() + "):");
      for (JsonNode e : n.path("errors")) {
        m.append("\n  ").append(e.path("path").asText()).append(": ").append(e.path("message").asText());
      }
      return m.toString();
    } catch (IOException | RuntimeException e) {
      return "HTTP " + r.statusCode() + ": " + r.body();
    }
  }

  static final class JobsApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobsApiException(String message) {
      super(message);
    }
  }
}
