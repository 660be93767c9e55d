package io.trellis.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.trellis.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client of the {@code /v2} API for tests. */
final class V2 {
  final String base;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  V2(String base) {
    this.base = base;
  }

  record Reply(int status, JsonNode body, String text, HttpResponse<String> raw) {}

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply send(String method, String path, String body) {
    return send(method, path, body, java.util.Map.of());
  }

  /** A call with extra headers (such as a test principal's). */
  Reply send(String method, String path, String body, java.util.Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(40))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
      } catch (IOException notJson) {
        // Plain text answers such as /ping.
      }
      return new Reply(r.statusCode(), json, r.body(), r);
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  JsonNode app(String id) {
    Reply r = get("/v2/apps" + id);
    if (r.status() != 200) {
      throw new IllegalStateException("GET app " + id + ": " + r.status() + " " + r.text());
    }
    return r.body().get("app");
  }

  /** Instances RUNNING (and healthy if the app has checks) of the app's current configuration. */
  int readyInstances(String id) {
    JsonNode app = app(id);
    String version = app.path("versionInfo").path("lastConfigChangeAt").asText();
    boolean checks = app.path("healthChecks").size() > 0;
    int n = 0;
    for (JsonNode t : app.path("tasks")) {
      boolean healthy = !checks || t.path("healthCheckResults").path(0).path("alive").asBoolean(false);
      if (t.path("state").asText().equals("TASK_RUNNING") && healthy && t.path("version").asText().equals(version)) {
        n++;
      }
    }
    return n;
  }

  boolean deploymentsDone() {
    return get("/v2/deployments").body().size() == 0;
  }

  static String httpGet(String host, int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + host + ":" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
